//! OAuth tokens from Stripe: list, add through Stripe's Connect OAuth flow, edit, delete (deauthorizing at
//! Stripe). They exist only for accounts an operator enabled Stripe for; otherwise every endpoint is a 404.

use crate::audit;
use crate::auth::CurrentUser;
use crate::crypto::{random_token, token_hash, SealedAt};
use crate::db::models::{OAuthStateRow, OAuthTokenRow};
use crate::db::{self, oauth_states, oauth_tokens};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use serde::Deserialize;
use shared::v1::{
    AuthorizeResponse, OAuthTokenRequest, OAuthTokenResponse, OAuthTokenUpdate, OAuthTokenUpdateResponse,
    SecurityEventKind, TokenAssignment, TokenType,
};
use shared::validate::parse_description;
use shared::ErrorBody;
use shared::ErrorCode;
use uuid::Uuid;

const STATE_LIFETIME_MINUTES: i64 = 10;
/// Where the browser lands after Stripe, with `added=ID` or `error=MESSAGE`.
const TAB_PATH: &str = "/account/oauth-tokens";
const CALLBACK_PATH: &str = "/api/v1/oauth/stripe/callback";

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
    db::run(&state.pool, move |conn| {
        let assignments = oauth_tokens::assignments(conn, &account_id)?;
        oauth_tokens::list(conn, &account_id)?
            .into_iter()
            .find(|(row, _)| row.id == id)
            .map(|(row, by)| token_response(row, by, &assignments))
            .ok_or_else(not_found)
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/oauth-tokens", tag = "oauth tokens",
    security(("session_cookie" = []), ("bearer" = []), ("basic" = []), ("access_token" = ["oauth_tokens:read"])),
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

/// Where Stripe sends the browser back.
fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", super::public_base(state))
}

/// Stores a single-use state bound to the caller's browser session and answers Stripe's authorize URL.
async fn start_authorization(
    state: &AppState,
    caller: &CurrentUser,
    token_type: TokenType,
    description: String,
    token_id: Option<String>,
) -> ApiResult<AuthorizeResponse> {
    let session = caller.session().ok_or_else(|| ApiError::Forbidden {
        code: ErrorCode::BrowserSessionRequired,
        message: "Stripe's authorization happens in the browser: add or re-authorize tokens from the dashboard.".into(),
    })?;
    let value = random_token();
    let authorize_url = state.stripe.authorize_url(token_type, &value, &redirect_uri(state)).map_err(|e| {
        ApiError::Rejected { code: ErrorCode::StripeNotConfigured, field: "token_type", message: e.to_string() }
    })?;
    let now = Utc::now().naive_utc();
    let row = OAuthStateRow {
        state_hash: token_hash(&value),
        session_id: session.id.clone(),
        account_id: caller.account.id.clone(),
        token_type,
        description,
        token_id,
        expires_at: now + Duration::minutes(STATE_LIFETIME_MINUTES),
    };
    db::run(&state.pool, move |conn| Ok(oauth_states::insert(conn, &row, now)?)).await?;
    Ok(AuthorizeResponse { authorize_url })
}

fn parse_token_description(raw: &str) -> ApiResult<String> {
    parse_description(raw).map_err(|problem| ApiError::field("description", problem))
}

#[utoipa::path(post, path = "/api/v1/oauth-tokens", tag = "oauth tokens", request_body = OAuthTokenRequest,
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

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

const STATE_INVALID: &str =
    "This authorization is not valid for this session, or was already used. Start again with Add Token.";

/// Stripe's redirect back. Every outcome returns the browser to the tab with `added` or `error`.
#[utoipa::path(get, path = "/api/v1/oauth/stripe/callback", tag = "oauth tokens",
    params(("code" = Option<String>, Query), ("state" = Option<String>, Query), ("error" = Option<String>, Query),
        ("error_description" = Option<String>, Query)),
    responses((status = 303, description = "Back to the OAuth Tokens tab with `added=ID` or `error=MESSAGE`")))]
pub async fn callback(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: Option<CurrentUser>,
    query: web::Query<CallbackQuery>,
) -> HttpResponse {
    let Some(caller) = caller else {
        return see_other("/sign-in".into());
    };
    let outcome = finish_authorization(&state, &request, &caller, query.into_inner()).await;
    let (key, value) = match &outcome {
        Ok(id) => ("added", id.as_str()),
        Err(message) => ("error", message.as_str()),
    };
    // Url only to encode the query; the Location stays a path on this origin.
    let location = reqwest::Url::parse("http://keydesk.invalid")
        .map(|mut url| {
            url.set_path(TAB_PATH);
            url.query_pairs_mut().append_pair(key, value);
            format!("{}?{}", url.path(), url.query().unwrap_or_default())
        })
        .unwrap_or_else(|_| TAB_PATH.to_string());
    see_other(location)
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// Checks the state, exchanges the code and stores the grant; the error is the message for the tab.
async fn finish_authorization(
    state: &AppState,
    request: &HttpRequest,
    caller: &CurrentUser,
    query: CallbackQuery,
) -> Result<String, String> {
    let internal = |e: ApiError| {
        tracing::error!(error = ?e, "storing an OAuth token failed");
        "The token could not be stored. Please try again.".to_string()
    };
    let hash = token_hash(query.state.as_deref().unwrap_or_default());
    let pending = db::run(&state.pool, move |conn| Ok(oauth_states::take(conn, &hash)?)).await.map_err(internal)?;
    let Some(pending) = pending else { return Err(STATE_INVALID.into()) };
    if Some(pending.session_id.as_str()) != caller.session().map(|s| s.id.as_str()) {
        return Err(STATE_INVALID.into());
    }
    if pending.expires_at < Utc::now().naive_utc() {
        return Err("The authorization took longer than 10 minutes. Start again with Add Token.".into());
    }
    match (query.error.as_deref(), query.code) {
        (Some("access_denied"), _) => Err("Access was not allowed on Stripe, so no token was added.".into()),
        (Some(code), _) => Err(format!(
            "Stripe reported a problem: {} ({code}).",
            query.error_description.as_deref().unwrap_or("no description")
        )),
        (None, None) => Err(STATE_INVALID.into()),
        (None, Some(code)) => store_grant(state, request, caller, pending, &code).await,
    }
}

async fn store_grant(
    state: &AppState,
    request: &HttpRequest,
    caller: &CurrentUser,
    pending: OAuthStateRow,
    code: &str,
) -> Result<String, String> {
    let token_type = pending.token_type;
    let grant = state.stripe.exchange(token_type, code).await.map_err(|e| format!("No token was added. {e}"))?;
    if grant.livemode != (token_type == TokenType::Live) {
        // Not kept, so not left connected either.
        let _ = state.stripe.deauthorize(token_type, &grant.stripe_user_id).await;
        let granted = if grant.livemode { "live" } else { "test" };
        return Err(format!(
            "You chose a {} token, but Stripe granted a {granted}-mode one, so it was not kept. Start again and choose the matching type.",
            token_type.label()
        ));
    }
    let id = pending.token_id.clone().unwrap_or_else(|| Uuid::new_v4().to_string());
    let seal = |text: &str, column| {
        let at = SealedAt { table: "oauth_tokens", column, row: &id };
        state.secrets.seal(text.as_bytes(), at).map_err(|_| "The token could not be stored.".to_string())
    };
    let now = Utc::now().naive_utc();
    let row = OAuthTokenRow {
        id: id.clone(),
        account_id: pending.account_id,
        provider: "stripe".into(),
        token_type,
        description: pending.description,
        stripe_user_id: grant.stripe_user_id,
        livemode: grant.livemode,
        scope: grant.scope,
        access_token_sealed: seal(grant.access_token.expose(), "access_token_sealed")?,
        refresh_token_sealed: seal(grant.refresh_token.expose(), "refresh_token_sealed")?,
        created_at: now,
        created_by: Some(caller.user.id.clone()),
        updated_at: now,
    };
    let replacing = pending.token_id.is_some();
    let detail = format!("{} ({}, {})", row.description, row.token_type.as_str(), row.stripe_user_id);
    db::run(&state.pool, move |conn| match replacing {
        true => Ok(oauth_tokens::replace_grant(conn, &row)?),
        false => Ok(oauth_tokens::insert(conn, &row)?),
    })
    .await
    .map_err(|_| "The token could not be stored. Please try again.".to_string())?;
    let kind = if replacing { SecurityEventKind::TokenChanged } else { SecurityEventKind::TokenAdded };
    audit::record(state, request, &caller.user, kind, detail).await;
    Ok(id)
}

#[utoipa::path(patch, path = "/api/v1/oauth-tokens/{id}", tag = "oauth tokens", params(("id" = String, Path)),
    request_body = OAuthTokenUpdate,
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = []), ("access_token" = ["oauth_tokens:write"])),
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

#[utoipa::path(delete, path = "/api/v1/oauth-tokens/{id}", tag = "oauth tokens",
    params(("id" = String, Path), ("local_only" = Option<bool>, Query,
        description = "Remove the token here without deauthorizing at Stripe (after a failed deauthorization)")),
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = []), ("access_token" = ["oauth_tokens:write"])),
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
