//! The caller's developer key: state, generate/regenerate, and reveal (Show Key).

use crate::audit;
use crate::auth::reauth::require_recent_password;
use crate::auth::CurrentUser;
use crate::crypto::SealedAt;
use crate::db::models::{DeveloperKeyRow, NewDeveloperKey};
use crate::db::{self, developer_keys};
use crate::error::{ApiError, ApiResult};
use crate::notices::{self, Notice};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use rand::RngCore;
use shared::key_format::{self, DEVELOPER_KEY};
use shared::paths;
use shared::v1::{DeveloperKeyResponse, DeveloperKeyState, ReauthenticateRequest, SecurityEventKind};
use shared::ErrorBody;

fn key_place(user_id: &str) -> SealedAt<'_> {
    SealedAt { table: "developer_keys", column: "sealed_key", row: user_id }
}

#[utoipa::path(get, path = paths::MY_DEVELOPER_KEY, tag = "developer keys",
    responses((status = 200, body = DeveloperKeyState), (status = 401, body = ErrorBody)))]
pub async fn get_state(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<DeveloperKeyState>> {
    let user_id = caller.user.id.clone();
    let row = db::run(&state.pool, move |conn| Ok(developer_keys::find_for_user(conn, &user_id)?)).await?;
    Ok(web::Json(key_state(row.as_ref())))
}

#[utoipa::path(post, path = paths::MY_DEVELOPER_KEY, tag = "developer keys",
    request_body(content = ReauthenticateRequest, description = "`password` when the last password check is over 15 minutes old"),
    responses(
        (status = 201, description = "The new key; any previous key stops working at once", body = DeveloperKeyResponse),
        (status = 401, body = ErrorBody), (status = 403, description = "`reauthentication_required`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn generate(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Option<web::Json<ReauthenticateRequest>>,
) -> ApiResult<HttpResponse> {
    let password = body.and_then(|b| b.into_inner().password);
    require_recent_password(&state, &req, &caller, password).await?;

    let mut random = [0u8; key_format::RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let key = DEVELOPER_KEY.format(&random);
    let row = NewDeveloperKey {
        user_id: caller.user.id.clone(),
        lookup_hash: state.hasher.hash(&key),
        sealed_key: state.secrets.seal(key.as_bytes(), key_place(&caller.user.id))?,
        hint: DEVELOPER_KEY.hint(&key),
        created_at: Utc::now().naive_utc(),
    };
    let user_id = caller.user.id.clone();
    let stored = db::run(&state.pool, move |conn| {
        developer_keys::replace(conn, &row)?;
        Ok(developer_keys::find_for_user(conn, &user_id)?)
    })
    .await?;
    let response = DeveloperKeyResponse { key: key.into(), state: key_state(stored.as_ref()) };
    let detail = format!("key {}", response.state.hint.clone().unwrap_or_default());
    audit::record(&state, &req, &caller.user, SecurityEventKind::DeveloperKeyGenerated, detail).await;
    notices::send(&state, &req, &caller.user.email, Notice::DeveloperKeyGenerated);
    Ok(HttpResponse::Created().json(response))
}

#[utoipa::path(post, path = paths::MY_DEVELOPER_KEY_REVEAL, tag = "developer keys",
    request_body(content = ReauthenticateRequest, description = "`password` when the last password check is over 15 minutes old"),
    responses((status = 200, body = DeveloperKeyResponse), (status = 401, body = ErrorBody),
        (status = 403, description = "`reauthentication_required`", body = ErrorBody),
        (status = 404, description = "No key generated yet", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reveal(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Option<web::Json<ReauthenticateRequest>>,
) -> ApiResult<web::Json<DeveloperKeyResponse>> {
    let password = body.and_then(|b| b.into_inner().password);
    require_recent_password(&state, &req, &caller, password).await?;
    let user_id = caller.user.id.clone();
    let row = db::run(&state.pool, move |conn| Ok(developer_keys::find_for_user(conn, &user_id)?))
        .await?
        .ok_or_else(|| ApiError::NotFound("You have no developer key yet. Generate one first.".into()))?;
    let key = String::from_utf8(state.secrets.open(row.sealed_key.expose(), key_place(&row.user_id))?)
        .map_err(|e| ApiError::Unexpected(anyhow::Error::new(e).context("sealed key is not text")))?;
    let detail = format!("key {}", row.hint);
    audit::record(&state, &req, &caller.user, SecurityEventKind::DeveloperKeyShown, detail).await;
    notices::send(&state, &req, &caller.user.email, Notice::DeveloperKeyShown);
    Ok(web::Json(DeveloperKeyResponse { key: key.into(), state: DeveloperKeyState::from(&row) }))
}

/// The key's state as the API shows it, or that there is none.
pub fn key_state(row: Option<&DeveloperKeyRow>) -> DeveloperKeyState {
    row.map_or_else(DeveloperKeyState::absent, DeveloperKeyState::from)
}

/// The key's state as the API shows it (never the key).
impl From<&DeveloperKeyRow> for DeveloperKeyState {
    fn from(row: &DeveloperKeyRow) -> DeveloperKeyState {
        DeveloperKeyState {
            exists: true,
            created_at: Some(row.created_at.and_utc()),
            last_used_at: row.last_used_at.map(|t| t.and_utc()),
            last_used_ip: row.last_used_ip.clone(),
            hint: Some(row.hint.clone()),
        }
    }
}
