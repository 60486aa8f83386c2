//! The caller's API credentials from `POST /api/auth`: list and revoke.

use crate::audit;
use crate::auth::{CurrentUser, API_CREDENTIAL_LIFETIME};
use crate::db::models::ApiCredentialRow;
use crate::db::{self, api_credentials};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{ApiCredentialResponse, SecurityEventKind};
use shared::ErrorBody;

#[utoipa::path(get, path = paths::MY_API_CREDENTIALS, tag = "api credentials",
    responses((status = 200, body = [ApiCredentialResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<ApiCredentialResponse>>> {
    let user_id = caller.user.id;
    let since = Utc::now().naive_utc() - API_CREDENTIAL_LIFETIME;
    let rows = db::run(&state.pool, move |conn| Ok(api_credentials::list_live(conn, &user_id, since)?)).await?;
    Ok(web::Json(rows.into_iter().map(|r| api_credential_response(r, API_CREDENTIAL_LIFETIME)).collect()))
}

#[utoipa::path(delete, path = paths::MY_API_CREDENTIAL, tag = "api credentials",
    params(("id" = String, Path)),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let user_id = caller.user.id.clone();
    let id = id.into_inner();
    let deleted = db::run(&state.pool, move |conn| Ok(api_credentials::delete(conn, &user_id, &id)?)).await?;
    if deleted == 0 {
        return Err(ApiError::NotFound("There are no such API credentials.".into()));
    }
    audit::record(&state, &request, &caller.user, SecurityEventKind::ApiCredentialsRevoked, "").await;
    Ok(HttpResponse::NoContent().finish())
}

fn api_credential_response(row: ApiCredentialRow, lifetime: chrono::Duration) -> ApiCredentialResponse {
    ApiCredentialResponse {
        login_hint: row.login.expose().chars().take(8).collect(),
        id: row.id,
        tool: row.tool,
        created_at: row.created_at.and_utc(),
        last_used_at: row.last_used_at.and_utc(),
        expires_at: (row.last_used_at + lifetime).and_utc(),
    }
}
