//! OAuth tokens from Stripe: list, add through Stripe's Connect OAuth flow ([`super::stripe_authorization`]),
//! edit, delete (deauthorizing at Stripe). They exist only for accounts an operator enabled Stripe for;
//! otherwise every endpoint is a 404.

use crate::audit;
use crate::auth::CurrentUser;
use crate::db::models::OAuthTokenRow;
use crate::db::{self, oauth_tokens};
use crate::error::{ApiError, ApiResult};
use crate::routes::stripe_authorization::start_authorization;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use shared::paths;
use shared::v1::{
    AuthorizeResponse, OAuthTokenRequest, OAuthTokenResponse, OAuthTokenUpdate, OAuthTokenUpdateResponse,
    SecurityEventKind, TokenAssignment,
};
use shared::validate::parse_description;
use shared::ErrorBody;
use shared::ErrorCode;

fn require_stripe(caller: &CurrentUser) -> ApiResult<()> {
    match caller.account.stripe_enabled {
        true => Ok(()),
        false => Err(ApiError::NotFound("There is no such API endpoint.".into())),
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such OAuth token.".into())
}

fn token_response(
    row: OAuthTokenRow,
    created_by: Option<String>,
    assignments: &[oauth_tokens::Assignment],
) -> OAuthTokenResponse {
    let assigned_to = assignments
        .iter()
        .filter(|(token_id, ..)| *token_id == row.id)
        .map(|(_, deployment_id, label, application_id, application_name)| TokenAssignment {
            deployment_id: deployment_id.clone(),
            deployment_label: label.clone(),
            application_id: application_id.clone(),
            application_name: application_name.clone(),
        })
        .collect();
    OAuthTokenResponse {
        token_type: row.token_type,
        id: row.id,
        provider: row.provider,
        description: row.description,
        stripe_account_id: row.stripe_user_id,
        scope: row.scope,
        assigned_to,
        created_at: row.created_at.and_utc(),
        created_by,
        updated_at: row.updated_at.and_utc(),
    }
}

/// One token as the list shows it.
async fn load_token(state: &AppState, account_id: &str, id: &str) -> ApiResult<OAuthTokenResponse> {
    let (account_id, id) = (account_id.to_string(), id.to_string());
    db::run_with(&state.pool, move |conn| {
        let assignments = oauth_tokens::assignments(conn, &account_id)?;
        oauth_tokens::list(conn, &account_id)?
            .into_iter()
            .find(|(row, _)| row.id == id)
            .map(|(row, by)| token_response(row, by, &assignments))
            .ok_or_else(not_found)
    })
    .await
}

#[utoipa::path(get, path = paths::OAUTH_TOKENS, tag = "oauth tokens",
    security(("access_token" = ["oauth_tokens:read"])),
    responses((status = 200, body = [OAuthTokenResponse]),
        (status = 404, description = "Stripe is not enabled for the account", body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<OAuthTokenResponse>>> {
    require_stripe(&caller)?;
    let account_id = caller.account.id;
    let list = db::run(&state.pool, move |conn| {
        let assignments = oauth_tokens::assignments(conn, &account_id)?;
        let rows = oauth_tokens::list(conn, &account_id)?;
        Ok(rows.into_iter().map(|(row, by)| token_response(row, by, &assignments)).collect())
    })
    .await?;
    Ok(web::Json(list))
}

fn parse_token_description(raw: &str) -> ApiResult<String> {
    parse_description(raw).map_err(|problem| ApiError::field("description", problem))
}

#[utoipa::path(post, path = paths::OAUTH_TOKENS, tag = "oauth tokens", request_body = OAuthTokenRequest,
    security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 201, description = "Send the browser to `authorize_url`", body = AuthorizeResponse),
        (status = 403, description = "Not a browser session", body = ErrorBody),
        (status = 404, description = "Stripe is not enabled for the account", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<OAuthTokenRequest>,
) -> ApiResult<HttpResponse> {
    require_stripe(&caller)?;
    let body = body.into_inner();
    if body.provider != "stripe" {
        return Err(ApiError::field("provider", "Stripe is the only token provider"));
    }
    let description = parse_token_description(&body.description)?;
    let started = start_authorization(&state, &caller, body.token_type, description, None).await?;
    Ok(HttpResponse::Created().json(started))
}

#[utoipa::path(patch, path = paths::OAUTH_TOKEN, tag = "oauth tokens", params(("id" = String, Path)),
    request_body = OAuthTokenUpdate,
    security(("access_token" = ["oauth_tokens:write"])),
    responses((status = 200, description = "Saved; `authorize_url` when the type changed (a browser session is needed)",
        body = OAuthTokenUpdateResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    caller: CurrentUser,
    request: HttpRequest,
    id: web::Path<String>,
    body: web::Json<OAuthTokenUpdate>,
) -> ApiResult<web::Json<OAuthTokenUpdateResponse>> {
    require_stripe(&caller)?;
    let (account_id, id, body) = (caller.account.id.clone(), id.into_inner(), body.into_inner());
    let description = body.description.as_deref().map(parse_token_description).transpose()?;
    let (lookup_account, lookup_id) = (account_id.clone(), id.clone());
    let row = db::run(&state.pool, move |conn| Ok(oauth_tokens::find(conn, &lookup_account, &lookup_id)?))
        .await?
        .ok_or_else(not_found)?;
    let new_type = body.token_type.filter(|t| *t != row.token_type);
    let authorize_url = match new_type {
        Some(token_type) => {
            let description = description.clone().unwrap_or_else(|| row.description.clone());
            Some(start_authorization(&state, &caller, token_type, description, Some(id.clone())).await?.authorize_url)
        }
        None => None,
    };
    let renamed = description.is_some();
    if let Some(description) = description {
        let token_id = id.clone();
        db::run(&state.pool, move |conn| {
            Ok(oauth_tokens::set_description(conn, &token_id, &description, Utc::now().naive_utc())?)
        })
        .await?;
    }
    let token = load_token(&state, &account_id, &id).await?;
    // A type change is recorded when Stripe's new grant arrives.
    if renamed {
        let detail = format!("description: {}", token.description);
        audit::record(&state, &request, &caller.user, SecurityEventKind::TokenChanged, detail).await;
    }
    Ok(web::Json(OAuthTokenUpdateResponse { token, authorize_url }))
}

#[derive(Deserialize)]
pub struct DeleteQuery {
    /// Remove the row even though Stripe could not be told.
    #[serde(default)]
    local_only: bool,
}

#[utoipa::path(delete, path = paths::OAUTH_TOKEN, tag = "oauth tokens",
    params(("id" = String, Path), ("local_only" = Option<bool>, Query,
        description = "Remove the token here without deauthorizing at Stripe (after a failed deauthorization)")),
    security(("access_token" = ["oauth_tokens:write"])),
    responses((status = 204, description = "Deauthorized at Stripe and removed"), (status = 404, body = ErrorBody),
        (status = 502, description = "Stripe could not deauthorize it; nothing was removed", body = ErrorBody)))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    query: web::Query<DeleteQuery>,
) -> ApiResult<HttpResponse> {
    require_stripe(&caller)?;
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let row = db::run(&state.pool, move |conn| Ok(oauth_tokens::find(conn, &account_id, &id)?))
        .await?
        .ok_or_else(not_found)?;
    if !query.local_only {
        let token_type = row.token_type;
        state.stripe.deauthorize(token_type, &row.stripe_user_id).await.map_err(|e| ApiError::Upstream {
            code: ErrorCode::DeauthorizationFailed,
            message: format!(
                "Stripe could not deauthorize the token, so it was kept: {e} You can still remove it here only (local_only=true)."
            ),
        })?;
    }
    let detail = format!("{} ({})", row.description, row.stripe_user_id);
    db::run(&state.pool, move |conn| Ok(oauth_tokens::delete(conn, &row.id)?)).await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::TokenDeleted, detail).await;
    Ok(HttpResponse::NoContent().finish())
}
