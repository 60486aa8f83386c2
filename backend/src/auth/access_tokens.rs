//! Personal access tokens as credentials. A token is found by its keyed hash, then refused once
//! expired (401 `token_expired`), from outside its networks (403 `network_not_allowed`), or
//! beyond its scopes (403 `insufficient_scope`); it never has more than its user, whose role and
//! active state are read with it. The first use from each address goes to the security log.

use crate::auth::extract::{stale, Credential, CurrentUser};
use crate::auth::scopes::RouteAccess;
use crate::db::models::{AccessTokenRow, AccountRow, UserRow};
use crate::db::{self, access_tokens};
use crate::error::ApiError;
use crate::request::client_ip;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use chrono::NaiveDateTime;
use shared::key_format::ACCESS_TOKEN;
use shared::v1::{parse_network, Scope, SecurityEventKind, TokenScopes};
use shared::ErrorCode;
use std::net::IpAddr;
use std::sync::Arc;

/// Addresses remembered per token for "used from a new address"; the oldest go first.
const SEEN_IPS_KEPT: usize = 20;

/// A token with what its row says, read into types.
pub struct TokenCaller {
    pub token: AccessTokenRow,
    pub scopes: TokenScopes,
    pub networks: Vec<ipnet::IpNet>,
    pub user: UserRow,
    pub account: AccountRow,
}

impl TokenCaller {
    fn read(token: AccessTokenRow, user: UserRow, account: AccountRow) -> Result<Self, ApiError> {
        let (scopes, networks) = token.scopes_and_networks()?;
        let networks = networks
            .iter()
            .map(|n| parse_network(n).ok_or_else(|| anyhow::anyhow!("access token {}: network {n:?}", token.id)))
            .collect::<Result<_, _>>()?;
        Ok(TokenCaller { token, scopes, networks, user, account })
    }

    fn expired(&self, now: NaiveDateTime) -> bool {
        self.token.expires_at.is_some_and(|at| at <= now)
    }

    fn allows(&self, ip: &str) -> bool {
        self.networks.is_empty() || ip.parse::<IpAddr>().is_ok_and(|ip| self.networks.iter().any(|n| n.contains(&ip)))
    }
}

/// Middleware: a request carrying `Authorization: Bearer kdt_…` is authenticated here, before any
/// extractor reads its body, so a token beyond its scope is told 403 whatever it sent. The caller is
/// left in the request's extensions for [`CurrentUser`]; other requests pass untouched.
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && token.trim().starts_with(ACCESS_TOKEN.prefix)
        })
        .map(|(_, token)| token.trim().to_string());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(token), Some(state)) = (token, state) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let verdict = match state.route_scopes.access(req.method(), req.path()) {
        // Public operations, and paths no operation has (they answer 404 or 405), ignore the header.
        RouteAccess::Public | RouteAccess::Unknown => return Ok(next.call(req).await?.map_into_left_body()),
        RouteAccess::NoToken => Err(ApiError::InsufficientScope(None)),
        RouteAccess::Token(needed) => authenticate(&state, &token, req.request(), needed).await,
    };
    match verdict {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

/// The caller the gate let through, for the extractor; an access token that reached a handler
/// without it (an operation the document does not list) is refused.
pub fn admitted(req: &HttpRequest) -> Result<CurrentUser, ApiError> {
    let caller = req.extensions().get::<Arc<TokenCaller>>().cloned().ok_or(ApiError::InsufficientScope(None))?;
    Ok(CurrentUser {
        user: caller.user.clone(),
        account: caller.account.clone(),
        credential: Credential::AccessToken { id: caller.token.id.clone() },
    })
}

async fn authenticate(
    state: &AppState,
    token: &str,
    req: &HttpRequest,
    needed: Scope,
) -> Result<Arc<TokenCaller>, ApiError> {
    let now = state.settings.clock.now();
    let ip = client_ip(req);
    let remembered_as = state.hasher.hash(token);
    let generation = state.recent.generation();
    // A remembered token goes the long way when its use is due to be written or the address changed.
    let remembered = state
        .recent
        .token_callers
        .get(&remembered_as, generation)
        .filter(|c| !stale(c.token.last_used_at, now) && c.token.last_used_ip.as_deref() == Some(ip.as_str()));
    if let Some(caller) = remembered {
        check(&caller, needed, now, &ip)?;
        return Ok(caller);
    }
    // A mistyped token is told apart before any lookup.
    ACCESS_TOKEN.check(token).map_err(|e| ApiError::BadCredentials(e.message()))?;
    let (candidates, used_from) = (state.hasher.candidates(token), ip.clone());
    let (caller, new_address) = db::run_with(&state.pool, move |conn| {
        let Some((token, user, account)) = access_tokens::find_caller(conn, &candidates)? else {
            return Err(bad_token());
        };
        let mut caller = TokenCaller::read(token, user, account)?;
        check(&caller, needed, now, &used_from)?;
        let mut seen: Vec<String> = serde_json::from_str(&caller.token.seen_ips).unwrap_or_default();
        let new_address = !seen.contains(&used_from);
        let moved = caller.token.last_used_ip.as_deref() != Some(used_from.as_str());
        if new_address || moved || stale(caller.token.last_used_at, now) {
            if new_address {
                seen.push(used_from.clone());
                let excess = seen.len().saturating_sub(SEEN_IPS_KEPT);
                seen.drain(..excess);
            }
            let seen = serde_json::to_string(&seen).map_err(anyhow::Error::new)?;
            access_tokens::record_use(conn, &caller.token.id, now, &used_from, &seen)?;
            (caller.token.last_used_at, caller.token.last_used_ip, caller.token.seen_ips) =
                (Some(now), Some(used_from), seen);
        }
        Ok((Arc::new(caller), new_address))
    })
    .await?;
    if new_address {
        let detail = format!("{} ({}) from {ip}", caller.token.name, caller.token.hint);
        crate::audit::record(state, req, &caller.user, SecurityEventKind::AccessTokenNewAddress, detail).await;
    }
    state.recent.token_callers.put(remembered_as, caller.clone(), generation);
    Ok(caller)
}

fn check(caller: &TokenCaller, needed: Scope, now: NaiveDateTime, ip: &str) -> Result<(), ApiError> {
    if caller.expired(now) {
        let on = caller.token.expires_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
        return Err(ApiError::TokenExpired(format!("This access token expired on {on}. Create a new one.")));
    }
    if !caller.allows(ip) {
        return Err(ApiError::Forbidden {
            code: ErrorCode::NetworkNotAllowed,
            message: format!("This access token may not be used from {ip}: it is limited to its allowed networks."),
        });
    }
    if !needed.granted_by(&caller.scopes) {
        return Err(ApiError::InsufficientScope(Some(needed)));
    }
    Ok(())
}

fn bad_token() -> ApiError {
    ApiError::BadCredentials("This access token is not valid: it was revoked, or never existed.".into())
}
