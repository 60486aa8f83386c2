//! Authenticator apps (TOTP, RFC 6238): 30-second steps, 6 digits, SHA-1, as every app expects.

use data_encoding::BASE32_NOPAD;
use rand::RngCore;

const STEP_SECS: u64 = 30;
const DIGITS: u32 = 6;
/// Steps either side of now that still count, for clocks a little off.
const SKEW_STEPS: u64 = 1;

/// 160 random bits, the size RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// Where a user's secret is sealed: bound to the user's 2FA row, and opened there also while it sits
/// in a challenge, which copies it verbatim (so the user id, not the challenge's row, is the binding).
pub fn sealed_at(user_id: &str) -> crate::crypto::SealedAt<'_> {
    crate::crypto::SealedAt { table: "two_factor", column: "destination", row: user_id }
}

pub fn to_base32(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// The URI authenticator apps scan.
pub fn otpauth_uri(account: &str, secret: &[u8]) -> String {
    let label = format!("Keydesk:{account}").replace(' ', "%20");
    format!(
        "otpauth://totp/{label}?secret={}&issuer=Keydesk&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        to_base32(secret)
    )
}

/// The URI as an SVG QR code.
pub fn qr_svg(uri: &str) -> anyhow::Result<String> {
    let code = qrcode::QrCode::new(uri.as_bytes())?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).build())
}

/// The code for `unix_secs`.
pub fn code_at(secret: &[u8], unix_secs: u64) -> String {
    totp_lite::totp_custom::<totp_lite::Sha1>(STEP_SECS, DIGITS, secret, unix_secs)
}

/// The time step whose code `code` is: now, or one step before or after. The caller refuses a
/// step already used (the code would be a replay).
pub fn matching_step(secret: &[u8], code: &str, unix_secs: u64) -> Option<u64> {
    let code = code.trim();
    let now = unix_secs / STEP_SECS;
    (now.saturating_sub(SKEW_STEPS)..=now + SKEW_STEPS)
        .find(|step| crate::crypto::constant_time_eq(&code_at(secret, step * STEP_SECS), code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_test_vector_matches() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); its last 6 are the 6-digit code.
        assert_eq!(code_at(b"12345678901234567890", 59), "287082");
    }

    #[test]
    fn codes_one_step_off_are_accepted_and_two_are_not() {
        let secret = b"12345678901234567890";
        let now = 1_000_020;
        let step = now / 30;
        assert_eq!(matching_step(secret, &code_at(secret, now), now), Some(step));
        assert_eq!(matching_step(secret, &code_at(secret, now - 30), now), Some(step - 1));
        assert_eq!(matching_step(secret, &code_at(secret, now + 30), now), Some(step + 1));
        assert_eq!(matching_step(secret, &code_at(secret, now - 90), now), None);
    }

    #[test]
    fn the_uri_and_qr_code_carry_the_secret() {
        let uri = otpauth_uri("ann@example.com", b"12345678901234567890");
        assert!(uri.starts_with("otpauth://totp/Keydesk:ann@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        assert!(qr_svg(&uri).unwrap().contains("<svg"));
    }
}
