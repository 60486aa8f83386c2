//! Two-factor codes: making, sending and checking them, and one-time access codes.

use crate::crypto::{constant_time_eq, random_hex, token_hash};
use crate::db::models::{NewTwoFactorCode, TwoFactorCodeRow};
use crate::db::purposes::CodePurpose;
use crate::db::{self, two_factor_codes};
use crate::error::ApiError;
use crate::mail::letters;
use crate::state::AppState;
use chrono::{Duration, NaiveDateTime, Utc};
use rand::Rng;
use shared::v1::TwoFactorMethod;

/// The answer when a sign-in's second step can no longer go on.
pub const SIGN_IN_OVER: &str = "This sign-in has expired or had too many wrong codes. Please sign in again.";

/// The live sign-in challenge `token` (the password step passed, the second pending), else 401.
pub async fn live_sign_in(state: &AppState, token: &str) -> Result<TwoFactorCodeRow, ApiError> {
    let (id, now) = (token_hash(token), Utc::now().naive_utc());
    db::run(&state.pool, move |conn| Ok(two_factor_codes::find(conn, &id)?))
        .await?
        .filter(|row| row.purpose == CodePurpose::SignIn && row.expires_at > now && row.attempts < MAX_ATTEMPTS)
        .ok_or_else(|| ApiError::Unauthorized(SIGN_IN_OVER.into()))
}

/// How long a sent code stays valid.
pub const CODE_LIFETIME: Duration = Duration::minutes(10);
/// Wrong entries allowed per code before it is void.
pub const MAX_ATTEMPTS: i32 = 5;
/// How soon another code may be sent.
pub const RESEND_AFTER: Duration = Duration::seconds(60);
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Crockford's base32 letters: no I, L, O, U to misread. 10 of them carry 50 bits.
const RECOVERY_ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Six digits from the OS generator.
pub fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
}

/// A code's stored form: keyed, and bound to its row so equal codes elsewhere do not match.
pub fn code_hash(state: &AppState, row_id: &str, code: &str) -> String {
    state.hasher.hash(&format!("{row_id}:{}", code.trim()))
}

/// `xxxxx-xxxxx`
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let chars: String =
                (0..10).map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// Marks an access code hashed with a salt of its own; codes stored before salts lack it.
const SALTED: &str = "s1$";

/// An access code's stored form, `s1$<salt>$<keyed hash of salt and code>`: a salt per code (ASVS
/// 6.5.2), so one table of the 2^50 codes' hashes cannot be computed for every user at once, and
/// equal codes do not show as equal hashes.
pub fn access_code_hash(state: &AppState, code: &str) -> String {
    let salt = random_hex(16);
    format!("{SALTED}{salt}${}", state.hasher.hash(&format!("{salt}:{}", normalize_recovery_code(code))))
}

/// Whether `entered` is the access code stored as `stored` (salted, or keyed only as stored before).
pub fn access_code_matches(state: &AppState, stored: &str, entered: &str) -> bool {
    let code = normalize_recovery_code(entered);
    let (candidates, hash) = match stored.strip_prefix(SALTED).and_then(|rest| rest.split_once('$')) {
        Some((salt, hash)) => (state.hasher.candidates(&format!("{salt}:{code}")), hash),
        None => (state.hasher.candidates(&code), stored),
    };
    candidates.iter().any(|candidate| constant_time_eq(candidate, hash))
}

/// Lower case without separators, as typed codes are compared.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

pub use shared::v1::destination_hint;

/// Sends `code` by the method; a failure is the user's to know about (502), never a 500.
pub async fn deliver(state: &AppState, method: TwoFactorMethod, destination: &str, code: &str) -> Result<(), ApiError> {
    let letter = letters::verification_code(code);
    let sent = match method {
        TwoFactorMethod::Email => state.mailer.send(destination, letter).await,
        TwoFactorMethod::Sms => state.sms.send(destination, &letter.body).await,
        // The app makes its own codes; nothing is sent.
        TwoFactorMethod::Totp => Ok(()),
    };
    sent.map_err(|e| {
        tracing::warn!(error = ?e, method = method.as_str(), "could not deliver a verification code");
        ApiError::DeliveryFailed(format!(
            "We could not send a code to {}. Check it, or try again in a few minutes.",
            destination_hint(method, destination)
        ))
    })
}

/// A challenge to open: whose, what for, and by which method to where.
pub struct Challenge<'a> {
    pub id: String,
    pub user_id: &'a str,
    pub purpose: CodePurpose,
    pub method: TwoFactorMethod,
    pub destination: &'a str,
}

impl Challenge<'_> {
    /// Its row, with no code that anyone could type: for an authenticator app, which brings its
    /// own codes, and for one-time access codes.
    pub fn row(&self, now: NaiveDateTime) -> NewTwoFactorCode {
        NewTwoFactorCode {
            id: self.id.clone(),
            user_id: self.user_id.to_string(),
            purpose: self.purpose,
            method: self.method,
            destination: self.destination.to_string(),
            code_hash: String::new(),
            attempts: 0,
            sent_at: now,
            expires_at: now + CODE_LIFETIME,
        }
    }

    /// Opens it with a fresh code, sent by its method (see [`store_and_send`]).
    pub async fn open(self, state: &AppState, now: NaiveDateTime) -> Result<(), ApiError> {
        let code = new_code();
        let mut row = self.row(now);
        row.code_hash = code_hash(state, &row.id, &code);
        store_and_send(state, row, self.method, &code, now).await
    }
}

/// Stores `row` as the user's one live code for its purpose and sends `code` to its destination.
/// Codes go out at most once a minute per purpose (429 with the wait), at sign-in as at activation;
/// an authenticator app's codes are not sent, so they are not limited.
pub async fn store_and_send(
    state: &AppState,
    row: NewTwoFactorCode,
    method: TwoFactorMethod,
    code: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let sends = method != TwoFactorMethod::Totp;
    let (id, destination) = (row.id.clone(), row.destination.clone());
    db::run_with(&state.pool, move |conn| {
        if let Some(earlier) = two_factor_codes::live_for(conn, &row.user_id, row.purpose, now)?.filter(|_| sends) {
            let wait = earlier.sent_at + RESEND_AFTER - now;
            if wait > Duration::zero() && earlier.method != TwoFactorMethod::Totp {
                return Err(ApiError::RateLimited { retry_after_secs: wait.num_seconds().max(1) as u64 });
            }
        }
        Ok(two_factor_codes::replace(conn, &row)?)
    })
    .await?;
    if let Err(e) = deliver(state, method, &destination, code).await {
        db::run(&state.pool, move |conn| Ok(two_factor_codes::delete(conn, &id)?)).await?;
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn recovery_codes_are_ten_distinct_50_bit_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert_eq!(&code[5..6], "-");
            assert_eq!(normalize_recovery_code(code).len(), 10);
        }
        assert_eq!(normalize_recovery_code(" ABCDE-fghjk "), "abcdefghjk");
    }
}
