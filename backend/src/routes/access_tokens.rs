//! Personal access tokens: the caller's own (create, list, revoke), the account's for admins (list,
//! revoke), and the account's token policy. No token can manage tokens: these operations name no
//! `access_token` scope.

use crate::audit;
use crate::auth::reauth::require_recent_password;
use crate::auth::{AdminUser, CurrentUser};
use crate::db::models::{AccessTokenRow, NewAccessToken, NewTokenPolicy, TokenPolicyRow};
use crate::db::{self, access_tokens};
use crate::error::{ApiError, ApiResult};
use crate::notices::{self, Notice};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use anyhow::Context;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::Connection;
use rand::RngCore;
use shared::key_format::{self, ACCESS_TOKEN};
use shared::paths;
use shared::v1::{
    AccessToken, CreateAccessTokenRequest, CreatedAccessToken, SecurityEventKind, TokenPolicy, TOKENS_PER_USER_MAX,
    TOKEN_NAME_MAX_CHARS,
};
use shared::validate::parse_name;
use shared::ErrorCode;
use shared::{ErrorBody, Secret};
use uuid::Uuid;

fn record(row: AccessTokenRow, user_email: String, now: NaiveDateTime) -> ApiResult<AccessToken> {
    let (scopes, allowed_networks) = row.scopes_and_networks()?;
    Ok(AccessToken {
        expired: row.expires_at.is_some_and(|at| at <= now),
        id: row.id,
        name: row.name,
        hint: row.hint,
        scopes,
        created_at: row.created_at.and_utc(),
        expires_at: row.expires_at.map(|t| t.and_utc()),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
        last_used_ip: row.last_used_ip,
        allowed_networks,
        user_id: row.user_id,
        user_email,
    })
}

fn records(rows: Vec<(AccessTokenRow, String)>, now: NaiveDateTime) -> ApiResult<Vec<AccessToken>> {
    rows.into_iter().map(|(row, email)| record(row, email, now)).collect()
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such access token.".into())
}

/// The account's policy, or the defaults when an admin never set one.
fn policy_of(row: Option<TokenPolicyRow>) -> TokenPolicy {
    row.map_or_else(TokenPolicy::default, |p| TokenPolicy {
        max_lifetime_days: u32::try_from(p.max_lifetime_days).unwrap_or(1),
        allow_no_expiry: p.allow_no_expiry,
    })
}

#[utoipa::path(post, path = paths::MY_TOKENS, tag = "access tokens", request_body = CreateAccessTokenRequest,
    responses(
        (status = 201, description = "The token, shown this once, with its record", body = CreatedAccessToken),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`reauthentication_required` (a session's password check is over 15 minutes \
            old: send `password`), or `insufficient_scope` (an access token cannot make tokens)", body = ErrorBody),
        (status = 409, description = "`too_many_tokens`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<CreateAccessTokenRequest>,
) -> ApiResult<HttpResponse> {
    let mut body = body.into_inner();
    // A token outlives the browser session that makes it, so the person proves they are there; a
    // developer key already holds more than any token it can make.
    if caller.session().is_some() {
        require_recent_password(&state, &req, &caller, body.password.take()).await?;
    }
    let account_id = caller.account.id.clone();
    let policy = policy_of(db::run(&state.pool, move |conn| Ok(access_tokens::policy(conn, &account_id)?)).await?);
    let problems = body.problems(&policy);
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }

    let mut random = [0u8; key_format::RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let token = ACCESS_TOKEN.format(&random);
    let now = state.settings.clock.now();
    let networks: Vec<String> = body.allowed_networks.iter().map(|n| n.trim().to_string()).collect();
    let row = NewAccessToken {
        id: Uuid::new_v4().to_string(),
        user_id: caller.user.id.clone(),
        name: parse_name(&body.name, TOKEN_NAME_MAX_CHARS).map_err(|e| ApiError::field("name", e))?,
        lookup_hash: state.hasher.hash(&token).into(),
        hint: ACCESS_TOKEN.hint(&token),
        scopes: serde_json::to_string(&body.scopes).context("scopes")?,
        allowed_networks: serde_json::to_string(&networks).context("networks")?,
        created_at: now,
        expires_at: body.expires_in_days.map(|days| now + TimeDelta::days(i64::from(days))),
    };
    let (user_id, id) = (caller.user.id.clone(), row.id.clone());
    let stored = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if access_tokens::count_for_user(conn, &user_id)? >= TOKENS_PER_USER_MAX as i64 {
                return Err(ApiError::Conflict {
                    code: ErrorCode::TooManyTokens,
                    message: format!(
                        "You have {TOKENS_PER_USER_MAX} access tokens, the most one user may hold. Revoke one first."
                    ),
                });
            }
            access_tokens::insert(conn, &row)?;
            Ok(access_tokens::find(conn, &id)?)
        })
    })
    .await?
    .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("the new access token was not stored")))?;
    let record = record(stored, caller.user.email.clone(), now)?;
    let detail = format!("{} ({})", record.name, record.hint);
    audit::record(&state, &req, &caller.user, SecurityEventKind::AccessTokenCreated, detail).await;
    notices::send(&state, &req, &caller.user.email, Notice::AccessTokenCreated { name: record.name.clone() });
    Ok(HttpResponse::Created().json(CreatedAccessToken { token: Secret::new(token), record }))
}

#[utoipa::path(get, path = paths::MY_TOKENS, tag = "access tokens",
    responses((status = 200, description = "The caller's tokens, newest first", body = [AccessToken]),
        (status = 401, body = ErrorBody)))]
pub async fn list_mine(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<AccessToken>>> {
    let user_id = caller.user.id.clone();
    let rows = db::run(&state.pool, move |conn| Ok(access_tokens::list_for_user(conn, &user_id)?)).await?;
    Ok(web::Json(records(rows, state.settings.clock.now())?))
}

#[utoipa::path(delete, path = paths::MY_TOKEN, tag = "access tokens", params(("id" = String, Path)),
    responses((status = 204, description = "Revoked: refused from the next request on"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = (id.into_inner(), caller.user.id.clone());
    let revoked = db::run(&state.pool, move |conn| Ok(access_tokens::delete_of_user(conn, &id, &user_id)?))
        .await?
        .ok_or_else(not_found)?;
    let detail = format!("{} ({})", revoked.name, revoked.hint);
    audit::record(&state, &req, &caller.user, SecurityEventKind::AccessTokenRevoked, detail).await;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = paths::TOKENS, tag = "access tokens",
    responses((status = 200, description = "Every token of the account's users, newest first", body = [AccessToken]),
        (status = 401, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn list_account(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
) -> ApiResult<web::Json<Vec<AccessToken>>> {
    let account_id = caller.account.id.clone();
    let rows = db::run(&state.pool, move |conn| Ok(access_tokens::list_for_account(conn, &account_id)?)).await?;
    Ok(web::Json(records(rows, state.settings.clock.now())?))
}

#[utoipa::path(delete, path = paths::TOKEN, tag = "access tokens", params(("id" = String, Path)),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_in_account(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (id, account_id) = (id.into_inner(), caller.account.id.clone());
    let (revoked, owner) =
        db::run(&state.pool, move |conn| Ok(access_tokens::delete_in_account(conn, &id, &account_id)?))
            .await?
            .ok_or_else(not_found)?;
    let detail = format!("{} ({}) of {owner}", revoked.name, revoked.hint);
    audit::record(&state, &req, &caller.user, SecurityEventKind::AccessTokenRevoked, detail).await;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = paths::TOKEN_POLICY, tag = "access tokens",
    responses((status = 200, body = TokenPolicy), (status = 401, body = ErrorBody)))]
pub async fn get_policy(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<TokenPolicy>> {
    let account_id = caller.account.id.clone();
    Ok(web::Json(policy_of(db::run(&state.pool, move |conn| Ok(access_tokens::policy(conn, &account_id)?)).await?)))
}

#[utoipa::path(put, path = paths::TOKEN_POLICY, tag = "access tokens", request_body = TokenPolicy,
    responses((status = 200, description = "The policy now in force; tokens already made keep their expiry",
        body = TokenPolicy), (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    body: web::Json<TokenPolicy>,
) -> ApiResult<web::Json<TokenPolicy>> {
    let policy = body.into_inner();
    let problems = policy.problems();
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let row = NewTokenPolicy {
        account_id: caller.account.id.clone(),
        max_lifetime_days: i32::try_from(policy.max_lifetime_days).unwrap_or(1),
        allow_no_expiry: policy.allow_no_expiry,
    };
    db::run(&state.pool, move |conn| Ok(access_tokens::save_policy(conn, &row)?)).await?;
    let detail = format!(
        "at most {} days{}",
        policy.max_lifetime_days,
        if policy.allow_no_expiry { ", or no expiry" } else { "" }
    );
    audit::record(&state, &req, &caller.user, SecurityEventKind::TokenPolicyChanged, detail).await;
    Ok(web::Json(policy))
}
