//! Stripe's Connect OAuth flow: a single-use state bound to the browser session, the browser sent to
//! Stripe, and Stripe's redirect back, where the code is exchanged and the grant stored sealed.

use crate::audit;
use crate::auth::CurrentUser;
use crate::crypto::{random_token, token_hash, SealedAt};
use crate::db::models::{NewOAuthState, NewOAuthToken, OAuthStateRow};
use crate::db::{self, oauth_states, oauth_tokens};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use serde::Deserialize;
use shared::paths;
use shared::v1::{AuthorizeResponse, SecurityEventKind, TokenType};
use shared::ErrorCode;
use uuid::Uuid;

const STATE_LIFETIME_MINUTES: i64 = 10;
/// Where the browser lands after Stripe, with `added=ID` or `error=MESSAGE`.
const TAB_PATH: &str = "/account/oauth-tokens";

/// Where Stripe sends the browser back.
fn redirect_uri(state: &AppState) -> String {
    format!("{}{}", super::public_base(state), paths::STRIPE_CALLBACK)
}

/// Stores a single-use state bound to the caller's browser session and answers Stripe's authorize URL.
pub(super) async fn start_authorization(
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
    let row = NewOAuthState {
        state_hash: token_hash(&value).into(),
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
#[utoipa::path(security(()), get, path = paths::STRIPE_CALLBACK, tag = "oauth tokens",
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
    let pending =
        db::run_with(&state.pool, move |conn| Ok(oauth_states::take(conn, &hash)?)).await.map_err(internal)?;
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
    let row = NewOAuthToken {
        id: id.clone(),
        account_id: pending.account_id,
        provider: "stripe".into(),
        token_type,
        description: pending.description,
        stripe_user_id: grant.stripe_user_id,
        livemode: grant.livemode,
        scope: grant.scope,
        access_token_sealed: seal(grant.access_token.expose(), "access_token_sealed")?.into(),
        refresh_token_sealed: seal(grant.refresh_token.expose(), "refresh_token_sealed")?.into(),
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
