//! `CurrentUser`: the extractor for handlers that need a signed-in user.
//! It checks the session cookie and, for writes, the CSRF header.

use crate::auth::session::{CSRF_HEADER, IDLE_TIMEOUT, SESSION_COOKIE, TOUCH_INTERVAL};
use crate::crypto::{constant_time_eq, token_hash};
use crate::db::models::{AccountRow, SessionRow, UserRow};
use crate::db::{self, sessions};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;
use futures_util::future::LocalBoxFuture;

pub struct CurrentUser {
    pub user: UserRow,
    pub account: AccountRow,
    pub session: SessionRow,
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<CurrentUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("application state missing")))?;
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or_else(|| ApiError::Unauthorized("Sign in to continue.".into()))?;
    let id = token_hash(&token);
    let now = Utc::now().naive_utc();
    let found = db::run(&state.pool, move |conn| {
        let found = sessions::find_active(conn, &id, now, now - IDLE_TIMEOUT)?;
        if let Some((session, _, _)) = &found {
            if now - session.last_seen_at > TOUCH_INTERVAL {
                sessions::touch(conn, &session.id, now)?;
            }
        }
        Ok(found)
    })
    .await?;
    let (session, user, account) =
        found.ok_or_else(|| ApiError::Unauthorized("Your session has ended. Please sign in again.".into()))?;
    if !req.method().is_safe() {
        let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !constant_time_eq(sent, &session.csrf_token) {
            return Err(ApiError::Forbidden {
                code: "csrf_token_invalid",
                message:
                    "The X-CSRF-Token header is missing or does not match this session. Reload the page and try again."
                        .into(),
            });
        }
    }
    Ok(CurrentUser { user, account, session })
}
