//! Where a user is signed in: the caller's own sessions (list, end one, end all others), and an
//! admin's view of a user's sessions (list, end all with their API credentials).

use crate::audit;
use crate::auth::session::IDLE_TIMEOUT;
use crate::auth::{AdminUser, CurrentUser};
use crate::crypto::token_hash;
use crate::db::models::SessionRow;
use crate::db::{self, api_credentials, sessions, users};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::user_agents;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{SecurityEventKind, SessionInfo};
use shared::ErrorBody;

/// A session's public id: derived from its stored id (the hash of its token), so neither the token
/// nor the lookup key is ever shown.
fn public_id(session: &SessionRow) -> String {
    token_hash(&format!("session:{}", session.id))[..32].to_string()
}

fn info(session: SessionRow, current: Option<&str>) -> SessionInfo {
    SessionInfo {
        id: public_id(&session),
        current: current == Some(session.id.as_str()),
        created_at: session.created_at.and_utc(),
        last_active_at: session.last_seen_at.and_utc(),
        browser: user_agents::describe(&session.user_agent),
        auth_method: session.auth_method,
        ip: session.ip,
        user_agent: session.user_agent,
    }
}

async fn active_sessions(state: &AppState, user_id: String) -> Result<Vec<SessionRow>, ApiError> {
    let now = Utc::now().naive_utc();
    db::run_with(&state.pool, move |conn| Ok(sessions::list_active_for_user(conn, &user_id, now, now - IDLE_TIMEOUT)?))
        .await
}

fn ended(session: &SessionRow) -> String {
    format!("{} from {}", user_agents::describe(&session.user_agent), session.ip)
}

#[utoipa::path(get, path = paths::MY_SESSIONS, tag = "sessions",
    responses((status = 200, description = "Newest activity first", body = [SessionInfo]), (status = 401, body = ErrorBody)))]
pub async fn mine(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<SessionInfo>>> {
    let current = caller.session().map(|s| s.id.clone());
    let rows = active_sessions(&state, caller.user.id.clone()).await?;
    Ok(web::Json(rows.into_iter().map(|s| info(s, current.as_deref())).collect()))
}

#[utoipa::path(delete, path = paths::MY_SESSION, tag = "sessions", params(("id" = String, Path)),
    responses((status = 204, description = "Ended: its next request is refused"), (status = 401, body = ErrorBody),
        (status = 404, description = "The caller has no such session", body = ErrorBody)))]
pub async fn end_mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let rows = active_sessions(&state, caller.user.id.clone()).await?;
    let session = rows
        .into_iter()
        .find(|s| public_id(s) == *id)
        .ok_or_else(|| ApiError::NotFound("You have no such session.".into()))?;
    let (stored_id, detail) = (session.id.clone(), ended(&session));
    db::run(&state.pool, move |conn| Ok(sessions::delete(conn, &stored_id)?)).await?;
    audit::record(&state, &req, &caller.user, SecurityEventKind::SessionEnded, detail).await;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = paths::MY_SESSIONS, tag = "sessions",
    responses((status = 204, description = "Every session but the caller's ended"), (status = 401, body = ErrorBody)))]
pub async fn end_my_others(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<HttpResponse> {
    // A key-authenticated caller has no session of its own to keep.
    let keep = caller.session().map(|s| s.id.clone()).unwrap_or_default();
    let user_id = caller.user.id.clone();
    let count = db::run(&state.pool, move |conn| Ok(sessions::delete_others(conn, &user_id, &keep)?)).await?;
    let detail = format!("signed out everywhere else ({count} sessions)");
    audit::record(&state, &req, &caller.user, SecurityEventKind::SessionEnded, detail).await;
    Ok(HttpResponse::NoContent().finish())
}

/// The user `id` of the admin's account, or 404.
async fn user_in_account(
    state: &AppState,
    admin: &CurrentUser,
    id: String,
) -> Result<crate::db::models::UserRow, ApiError> {
    let account_id = admin.account.id.clone();
    db::run(&state.pool, move |conn| Ok(users::find_in_account(conn, &account_id, &id)?))
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such user.".into()))
}

#[utoipa::path(get, path = paths::USER_SESSIONS, tag = "users", params(("id" = String, Path)),
    responses((status = 200, description = "Newest activity first", body = [SessionInfo]),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_user(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<web::Json<Vec<SessionInfo>>> {
    let user = user_in_account(&state, &caller, id.into_inner()).await?;
    let current = caller.session().map(|s| s.id.clone());
    let rows = active_sessions(&state, user.id).await?;
    Ok(web::Json(rows.into_iter().map(|s| info(s, current.as_deref())).collect()))
}

#[utoipa::path(delete, path = paths::USER_SESSIONS, tag = "users", params(("id" = String, Path)),
    responses((status = 204, description = "Every session and API credential of the user ended"),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_all_of_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let user = user_in_account(&state, &caller, id.into_inner()).await?;
    let (user_id, email) = (user.id.clone(), user.email.clone());
    db::run(&state.pool, move |conn| {
        sessions::delete_all_for_user(conn, &user_id)?;
        Ok(api_credentials::delete_all_for_user(conn, &user_id)?)
    })
    .await?;
    let detail = format!("{email} signed out everywhere by an admin");
    audit::record(&state, &req, &caller.user, SecurityEventKind::SessionEnded, detail).await;
    Ok(HttpResponse::NoContent().finish())
}
