//! Re-authentication for sensitive actions: every password check of a signed-in user, counted with
//! sign-in failures, and the recent-password rule for showing or regenerating a developer key.

use crate::auth::password::Verdict;
use crate::auth::session::caller_device_id;
use crate::auth::throttle::{self, Keys};
use crate::auth::CurrentUser;
use crate::db::models::UserRow;
use crate::db::{self, sessions};
use crate::error::ApiError;
use crate::request::client_ip;
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::{Duration, Utc};
use shared::{ErrorCode, Secret};

/// A password check older than this must be repeated.
pub const REAUTHENTICATE_AFTER: Duration = Duration::minutes(15);

/// Whether `password` is the user's. Every check counts with sign-in failures (429 past the same
/// limits), so a stolen session or developer key cannot guess the password freely.
pub async fn password_is_right(
    state: &AppState,
    req: &HttpRequest,
    user: &UserRow,
    password: Secret,
) -> Result<bool, ApiError> {
    let now = Utc::now().naive_utc();
    let (email, ip, device) = (user.email_normalized.clone(), client_ip(req), caller_device_id(req, &user.id));
    let keys = db::run_with(&state.pool, move |conn| {
        let device = throttle::recognised_device(conn, device)?;
        let keys = Keys::new(&email, &ip, device.as_deref());
        throttle::reserve(conn, &keys, now).map(|()| keys)
    })
    .await?;
    let verdict = state.hashing.verify(password.into_inner(), user.password_hash.expose().to_string()).await;
    if throttle::unless_busy(&state.pool, &keys, verdict).await? == Verdict::Wrong {
        return Ok(false);
    }
    db::run_with(&state.pool, move |conn| throttle::succeeded(conn, &keys)).await?;
    Ok(true)
}

/// [`password_is_right`], or a 422 naming `field`.
pub async fn confirm_password(
    state: &AppState,
    req: &HttpRequest,
    user: &UserRow,
    password: Secret,
    field: &'static str,
) -> Result<(), ApiError> {
    match password_is_right(state, req, user, password).await? {
        true => Ok(()),
        false => Err(ApiError::field(field, "The password is incorrect")),
    }
}

/// Passes when the session checked the password recently, or when `password` is right
/// (which then counts as a fresh check for the session). Key-authenticated callers always need it.
pub async fn require_recent_password(
    state: &AppState,
    req: &HttpRequest,
    caller: &CurrentUser,
    password: Option<Secret>,
) -> Result<(), ApiError> {
    let now = Utc::now().naive_utc();
    if caller.session().is_some_and(|s| now - s.password_checked_at < REAUTHENTICATE_AFTER) {
        return Ok(());
    }
    let Some(password) = password.filter(|p| !p.expose().is_empty()) else {
        return Err(ApiError::Forbidden {
            code: ErrorCode::ReauthenticationRequired,
            message: "Enter your password to continue: your last sign-in was more than 15 minutes ago.".into(),
        });
    };
    confirm_password(state, req, &caller.user, password, "password").await?;
    if let Some(session) = caller.session() {
        let id = session.id.clone();
        db::run(&state.pool, move |conn| Ok(sessions::mark_password_checked(conn, &id, now)?)).await?;
    }
    Ok(())
}
