//! The caller's remembered devices: list, and Forget (its next sign-in counts as unrecognized).

use crate::auth::session::DEVICE_COOKIE;
use crate::auth::CurrentUser;
use crate::crypto::token_hash;
use crate::db::{self, devices};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::paths;
use shared::v1::DeviceResponse;
use shared::ErrorBody;

#[utoipa::path(get, path = paths::MY_DEVICES, tag = "two-factor",
    responses((status = 200, body = [DeviceResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<Vec<DeviceResponse>>> {
    let user_id = caller.user.id;
    let current =
        req.cookie(DEVICE_COOKIE).map(|c| token_hash(&format!("{}:{user_id}", c.value()))).unwrap_or_default();
    let rows = db::run(&state.pool, move |conn| Ok(devices::list_for_user(conn, &user_id)?)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| DeviceResponse {
                current: row.id == current,
                id: row.id,
                browser: crate::user_agents::describe(&row.user_agent),
                user_agent: row.user_agent,
                ip: row.ip,
                created_at: row.created_at.and_utc(),
                last_seen_at: row.last_seen_at.and_utc(),
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = paths::MY_DEVICE, tag = "two-factor", params(("id" = String, Path)),
    responses((status = 204, description = "Forgotten"), (status = 404, body = ErrorBody)))]
pub async fn forget(state: web::Data<AppState>, caller: CurrentUser, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let (user_id, id) = (caller.user.id, id.into_inner());
    match db::run(&state.pool, move |conn| Ok(devices::delete(conn, &user_id, &id)?)).await? {
        0 => Err(ApiError::NotFound("There is no such device.".into())),
        _ => Ok(HttpResponse::NoContent().finish()),
    }
}
