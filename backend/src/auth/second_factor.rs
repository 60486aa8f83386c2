//! Checking a second factor: a code sent by email or SMS, an authenticator app's code, or a
//! one-time access code. Every check is guarded the same way: wrong codes are counted per user
//! across all their challenges (before the check, like password failures), a challenge's
//! attempts are counted in the statement that checks them, and an app's code is good once.

use crate::audit;
use crate::auth::throttle::{self, SECOND_FACTOR_PER_USER};
use crate::auth::totp;
use crate::auth::two_factor::{access_code_matches, code_hash, Challenge, MAX_ATTEMPTS};
use crate::crypto::constant_time_eq;
use crate::db::models::{TwoFactorCodeRow, UserRow};
use crate::db::purposes::CodePurpose;
use crate::db::{self, two_factor, two_factor_codes, users};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::{NaiveDateTime, Utc};
use shared::v1::{SecurityEventKind, TwoFactorMethod};

/// What the person typed.
pub enum Entered {
    /// Six digits: a sent code or an app's code.
    Code(String),
    /// A one-time access code (`xxxxx-xxxxx`).
    AccessCode(String),
}

impl Entered {
    /// Six digits are a code; anything else is taken for a one-time access code.
    pub fn classify(text: &str) -> Entered {
        let text = text.trim();
        match text.len() == 6 && text.chars().all(|c| c.is_ascii_digit()) {
            true => Entered::Code(text.to_string()),
            false => Entered::AccessCode(text.to_string()),
        }
    }
}

pub enum Outcome {
    /// `row` is the challenge just used up; `totp_step` the app's time step, if an app's code.
    Right {
        row: TwoFactorCodeRow,
        totp_step: Option<i64>,
    },
    Wrong,
    /// No such challenge for `purpose`, or it expired or has no attempts left.
    Void,
}

/// Checks `entered` against the challenge `row_id` (of `purpose`): a sign-in, a setup or a
/// confirmation. 429 while the user has [`SECOND_FACTOR_PER_USER`] wrong codes in the window.
pub async fn check(
    state: &AppState,
    req: &HttpRequest,
    row_id: String,
    purpose: CodePurpose,
    entered: Entered,
) -> Result<Outcome, ApiError> {
    let now = Utc::now().naive_utc();
    let taken = db::run_with(&state.pool, move |conn| {
        let Some(row) = two_factor_codes::find(conn, &row_id)?.filter(|r| r.purpose == purpose) else {
            return Ok(None);
        };
        let counter = throttle::second_factor_key(&row.user_id);
        throttle::reserve_one(conn, &counter, SECOND_FACTOR_PER_USER, now)?;
        match two_factor_codes::take_attempt(conn, &row_id, MAX_ATTEMPTS, now)? {
            Some(row) => Ok(Some(row)),
            None => throttle::give_back(conn, &counter).map(|()| None),
        }
    })
    .await?;
    let Some(row) = taken else { return Ok(Outcome::Void) };

    let verdict = match &entered {
        Entered::Code(code) => matches_code(state, &row, code, now).await?,
        Entered::AccessCode(code) if row.purpose != CodePurpose::Setup => {
            let user_id = row.user_id.clone();
            let unused =
                db::run(&state.pool, move |conn| Ok(two_factor::unused_recovery_codes(conn, &user_id)?)).await?;
            match unused.into_iter().find(|(_, stored)| access_code_matches(state, stored, code)) {
                Some((id, _)) => db::run(&state.pool, move |conn| Ok(two_factor::use_recovery_code(conn, &id, now)?))
                    .await?
                    .then_some(None),
                None => None,
            }
        }
        // A method being set up is proven by its own code only.
        Entered::AccessCode(_) => None,
    };
    let (user_id, id) = (row.user_id.clone(), row.id.clone());
    match verdict {
        Some(totp_step) => {
            db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
                throttle::give_back(conn, &throttle::second_factor_key(&user_id))?;
                Ok(two_factor_codes::delete(conn, &id)?)
            })
            .await?;
            Ok(Outcome::Right { row, totp_step })
        }
        None => {
            let found = db::run(&state.pool, move |conn| Ok(users::find_with_account(conn, &user_id)?)).await?;
            if let Some((user, _)) = found {
                let detail = format!("wrong code ({})", row.purpose.as_str().replace('_', "-"));
                audit::record(state, req, &user, SecurityEventKind::TwoFactorFailed, detail).await;
            }
            Ok(Outcome::Wrong)
        }
    }
}

/// `Some(step)` when `code` is right (`step` for an app's code), `None` when wrong. An app's code
/// is accepted only for a time step later than the last one accepted (ASVS 6.5.1), except while
/// the app is being set up, whose first step is stored with the method.
async fn matches_code(
    state: &AppState,
    row: &TwoFactorCodeRow,
    code: &str,
    now: NaiveDateTime,
) -> Result<Option<Option<i64>>, ApiError> {
    if row.method != TwoFactorMethod::Totp {
        return Ok(constant_time_eq(&code_hash(state, &row.id, code), &row.code_hash).then_some(None));
    }
    let Ok(secret) = state.secrets.open(&row.destination, totp::sealed_at(&row.user_id)) else { return Ok(None) };
    let unix = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
    let Some(step) = totp::matching_step(&secret, code, unix).and_then(|s| i64::try_from(s).ok()) else {
        return Ok(None);
    };
    if row.purpose == CodePurpose::Setup {
        return Ok(Some(Some(step)));
    }
    let user_id = row.user_id.clone();
    let fresh = db::run(&state.pool, move |conn| Ok(two_factor::accept_totp_step(conn, &user_id, step)?)).await?;
    Ok(fresh.then_some(Some(step)))
}

/// Refuses a change unless `user` also proves a current second factor, when 2FA is on (ASVS
/// 7.5.1): a code from the app, one sent by `POST /api/v1/me/two-factor/confirmation-code`, or a
/// one-time access code.
pub async fn require_for_change(
    state: &AppState,
    req: &HttpRequest,
    user: &UserRow,
    entered: Option<shared::Secret>,
) -> Result<(), ApiError> {
    let entered = entered.map(shared::Secret::into_inner);
    let user_id = user.id.clone();
    let Some(method) = db::run(&state.pool, move |conn| Ok(two_factor::find(conn, &user_id)?)).await? else {
        return Ok(());
    };
    let Some(entered) = entered.filter(|e| !e.trim().is_empty()) else {
        let how = match method.method {
            TwoFactorMethod::Totp => "enter a code from your authenticator app",
            _ => "send yourself a code and enter it",
        };
        return Err(ApiError::field(
            "two_factor_code",
            format!("Two-factor authentication is on: {how}, or enter a one-time access code"),
        ));
    };
    let id = confirmation_id(&user.id);
    let now = Utc::now().naive_utc();
    let kind = method.method;
    // An app's code or an access code needs no code sent: give them a challenge to count against.
    let challenge = Challenge {
        id: id.clone(),
        user_id: &user.id,
        purpose: CodePurpose::Confirm,
        method: kind,
        destination: &method.destination,
    };
    let row = challenge.row(now);
    db::run(&state.pool, move |conn| {
        if two_factor_codes::live_for(conn, &row.user_id, CodePurpose::Confirm, now)?.is_none() {
            two_factor_codes::replace(conn, &row)?;
        }
        Ok(())
    })
    .await?;
    match check(state, req, id, CodePurpose::Confirm, Entered::classify(&entered)).await? {
        Outcome::Right { .. } => Ok(()),
        Outcome::Wrong => Err(ApiError::field("two_factor_code", "The code is incorrect")),
        Outcome::Void => Err(ApiError::field(
            "two_factor_code",
            "This code has expired or was entered wrongly too often. Request a new one.",
        )),
    }
}

/// The one confirmation challenge a user has at a time.
pub fn confirmation_id(user_id: &str) -> String {
    format!("{}:{user_id}", CodePurpose::Confirm.as_str())
}
