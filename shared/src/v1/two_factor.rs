//! Two-factor authentication: codes by email or SMS, and one-time access codes.

use serde::{Deserialize, Serialize};

/// Where verification codes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorMethod {
    Email,
    Sms,
    /// An authenticator app (TOTP, RFC 6238): nothing is sent; the app shows the code.
    Totp,
}

impl TwoFactorMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorMethod::Email => "email",
            TwoFactorMethod::Sms => "sms",
            TwoFactorMethod::Totp => "totp",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(TwoFactorMethod::Email),
            "sms" => Some(TwoFactorMethod::Sms),
            "totp" => Some(TwoFactorMethod::Totp),
            _ => None,
        }
    }
}

/// The user's two-factor state, with the destination masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorState {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<TwoFactorMethod>,
    /// e.g. `a***@example.com` or `+1 *** *** **67`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_hint: Option<String>,
    /// One-time access codes not used yet.
    #[serde(default)]
    pub recovery_codes_remaining: u32,
}

impl TwoFactorState {
    pub fn off() -> Self {
        TwoFactorState { enabled: false, method: None, destination_hint: None, recovery_codes_remaining: 0 }
    }
}

/// `POST /api/v1/me/two-factor`: start activation (or an update): a code is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartTwoFactorRequest {
    pub method: TwoFactorMethod,
    /// An email address, or a mobile number in E.164 form (`+15551234567`); not used for `totp`.
    #[serde(default)]
    pub destination: String,
    /// Needed when the last password check is over 15 minutes old.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<crate::Secret>,
    /// Needed when two-factor authentication is already on (a change of method): a current code
    /// or a one-time access code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_code: Option<crate::Secret>,
}

/// The answer to starting: where the code went.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSentResponse {
    pub method: TwoFactorMethod,
    pub destination_hint: String,
    /// Seconds until another code may be requested.
    pub resend_after_secs: u64,
    /// For `totp`: what the authenticator app needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator: Option<AuthenticatorSetup>,
}

/// The shared secret for an authenticator app, as a QR code and as text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthenticatorSetup {
    /// Base32, for typing into the app by hand.
    pub secret: crate::Secret,
    /// `otpauth://totp/...`
    pub otpauth_uri: crate::Secret,
    /// The URI as a QR code, an SVG document.
    pub qr_svg: crate::Secret,
}

/// `POST /api/v1/me/two-factor/verify`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyCodeRequest {
    pub code: crate::Secret,
}

/// One-time access codes, shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesResponse {
    pub recovery_codes: Vec<crate::Secret>,
}

/// `DELETE /api/v1/me/two-factor` and new recovery codes: the password confirms.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordConfirmation {
    pub password: crate::Secret,
    /// Needed to turn two-factor authentication off: a current code or a one-time access code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_code: Option<crate::Secret>,
}

/// `POST /api/v1/session/two-factor`: the second step of a sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorSignInRequest {
    pub challenge: crate::Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<crate::Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<crate::Secret>,
}

/// A mobile number in E.164 form: `+`, a country code not starting with 0, 8 to 15 digits in all.
/// Spaces, dashes, dots and brackets people type are dropped first.
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    let digits = cleaned.strip_prefix('+').unwrap_or("");
    let valid = digits.len() >= 8
        && digits.len() <= 15
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(cleaned)
    } else {
        Err("Enter a mobile number in international form, such as +15551234567".into())
    }
}

/// `a***@example.com`: enough to recognise, not to read off.
/// Where a method's codes go, masked for the screen: `a•••@example.com`, `+1•••••••67`, the app.
pub fn destination_hint(method: TwoFactorMethod, destination: &str) -> String {
    match method {
        TwoFactorMethod::Email => mask_email(destination),
        TwoFactorMethod::Sms => mask_phone(destination),
        TwoFactorMethod::Totp => "your authenticator app".into(),
    }
}

pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// `+1•••••••67`: the country code's first digit and the last two.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let first = digits.first().copied().unwrap_or('•');
    let last: String = digits.iter().rev().take(2).rev().collect();
    format!("+{first}{}{last}", "•".repeat(digits.len().saturating_sub(3)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_must_be_e164() {
        assert_eq!(parse_phone("+1 (555) 123-4567"), Ok("+15551234567".into()));
        for bad in ["5551234567", "+0123456789", "+1555", "+1555123456789012", "+1555abc4567", ""] {
            assert!(parse_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask_email("annabel@example.com"), "a***@example.com");
        assert_eq!(mask_phone("+15551234567"), "+1••••••••67");
    }
}
