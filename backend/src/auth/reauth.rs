//! Recent-password checks for sensitive actions (showing or regenerating a developer key).

use crate::auth::password::{verify_off_thread, Verdict};
use crate::auth::throttle::{self, Keys};
use crate::auth::CurrentUser;
use crate::db::{self, sessions};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{Duration, Utc};

/// A password check older than this must be repeated.
pub const REAUTHENTICATE_AFTER: Duration = Duration::minutes(15);

/// Passes when the session checked the password recently, or when `password` is right
/// (which then counts as a fresh check for the session). Key-authenticated callers always need it.
pub async fn require_recent_password(
    state: &AppState,
    caller: &CurrentUser,
    password: Option<String>,
    ip: &str,
) -> Result<(), ApiError> {
    let now = Utc::now().naive_utc();
    if caller.session().is_some_and(|s| now - s.password_checked_at < REAUTHENTICATE_AFTER) {
        return Ok(());
    }
    let Some(password) = password.filter(|p| !p.is_empty()) else {
        return Err(ApiError::Forbidden {
            code: "reauthentication_required",
            message: "Enter your password to continue: your last sign-in was more than 15 minutes ago.".into(),
        });
    };
    // Guesses here count with sign-in failures, so a stolen session cannot try passwords freely.
    let keys = Keys::new(&caller.user.email_normalized, ip);
    let keys = db::run(&state.pool, move |conn| throttle::reserve(conn, &keys, now).map(|()| keys)).await?;
    if verify_off_thread(password, caller.user.password_hash.clone()).await? == Verdict::Wrong {
        return Err(ApiError::field("password", "The password is incorrect"));
    }
    db::run(&state.pool, move |conn| throttle::succeeded(conn, &keys)).await?;
    if let Some(session) = caller.session() {
        let id = session.id.clone();
        db::run(&state.pool, move |conn| Ok(sessions::mark_password_checked(conn, &id, now)?)).await?;
    }
    Ok(())
}
