//! `CurrentUser`: the extractor for handlers that need a caller. A request is
//! authenticated by its `Authorization` header (developer key, or API
//! credentials from `POST /api/auth`) when it has one, else by the session
//! cookie; cookie-authenticated writes must carry the CSRF header.

use crate::auth::session::{CSRF_HEADER, IDLE_TIMEOUT, SESSION_COOKIE, TOUCH_INTERVAL};
use crate::auth::API_CREDENTIAL_LIFETIME;
use crate::crypto::{constant_time_eq, token_hash};
use crate::db::models::{AccountRow, DeveloperKeyRow, SessionRow, UserRow};
use crate::db::{self, api_credentials, developer_keys, sessions};
use crate::domain::Email;
use crate::error::ApiError;
use crate::request::client_ip;
use crate::state::AppState;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{NaiveDateTime, Utc};
use futures_util::future::LocalBoxFuture;
use shared::key_format::{ACCESS_TOKEN, DEVELOPER_KEY};
use shared::ErrorCode;
use std::sync::Arc;

/// How the caller proved who they are.
pub enum Credential {
    Session(SessionRow),
    DeveloperKey,
    ApiCredential,
    /// A personal access token, already checked against the operation's scope.
    AccessToken {
        id: String,
    },
}

pub struct CurrentUser {
    pub user: UserRow,
    pub account: AccountRow,
    pub credential: Credential,
}

impl CurrentUser {
    /// The browser session, when the request came with the session cookie.
    pub fn session(&self) -> Option<&SessionRow> {
        match &self.credential {
            Credential::Session(session) => Some(session),
            _ => None,
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("application state missing")))?;
            match req.headers().get(AUTHORIZATION) {
                Some(header) => {
                    let header = header.to_str().map_err(|_| bad_credentials())?.to_string();
                    from_authorization(state, &header, &req).await
                }
                None => from_session_cookie(state, &req).await,
            }
        })
    }
}

/// A caller who is an admin of their account; a standard user is told 403 `admin_required`.
pub struct AdminUser(pub CurrentUser);

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let caller = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.user.role() {
                shared::v1::Role::Admin => Ok(AdminUser(caller)),
                shared::v1::Role::Standard => Err(ApiError::Forbidden {
                    code: ErrorCode::AdminRequired,
                    message: "Only account admins can do this.".into(),
                }),
            }
        })
    }
}

fn bad_credentials() -> ApiError {
    ApiError::BadCredentials("The credentials in the Authorization header are not valid.".into())
}

/// A session with its user and account, as one lookup found it.
pub struct SessionCaller {
    pub session: SessionRow,
    pub user: UserRow,
    pub account: AccountRow,
}

async fn from_session_cookie(state: &AppState, req: &HttpRequest) -> Result<CurrentUser, ApiError> {
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or_else(|| ApiError::Unauthorized("Sign in to continue.".into()))?;
    let id = token_hash(&token);
    let now = Utc::now().naive_utc();
    let generation = state.recent.generation();
    // A remembered session goes the long way once its last-seen time is due to be written.
    let remembered = state
        .recent
        .session_callers
        .get(&id, generation)
        .filter(|c| now - c.session.last_seen_at <= TOUCH_INTERVAL && c.session.expires_at > now);
    let caller = match remembered {
        Some(caller) => caller,
        None => {
            let key = id.clone();
            let found = db::run(&state.pool, move |conn| {
                let Some((mut session, user, account)) = sessions::find_active(conn, &key, now, now - IDLE_TIMEOUT)?
                else {
                    return Ok(None);
                };
                if now - session.last_seen_at > TOUCH_INTERVAL {
                    sessions::touch(conn, &session.id, now)?;
                    session.last_seen_at = now;
                }
                Ok(Some(Arc::new(SessionCaller { session, user, account })))
            })
            .await?
            .ok_or_else(|| ApiError::Unauthorized("Your session has ended. Please sign in again.".into()))?;
            state.recent.session_callers.put(id, found.clone(), generation);
            found
        }
    };
    let SessionCaller { session, user, account } = &*caller;
    let (session, user, account) = (session.clone(), user.clone(), account.clone());
    if !req.method().is_safe() {
        let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !constant_time_eq(sent, session.csrf_token.expose()) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::CsrfTokenInvalid,
                message:
                    "The X-CSRF-Token header is missing or does not match this session. Reload the page and try again."
                        .into(),
            });
        }
    }
    Ok(CurrentUser { user, account, credential: Credential::Session(session) })
}

/// `Bearer <key>`, `Basic email:key`, or `Basic login:password` from `POST /api/auth`.
async fn from_authorization(state: &AppState, header: &str, req: &HttpRequest) -> Result<CurrentUser, ApiError> {
    let ip = || client_ip(req);
    let (scheme, value) = header.trim().split_once(' ').ok_or_else(bad_credentials)?;
    match scheme.to_ascii_lowercase().as_str() {
        // Authenticated and scope-checked by the gate middleware, before any body was read.
        "bearer" if value.trim().starts_with(ACCESS_TOKEN.prefix) => crate::auth::access_tokens::admitted(req),
        "bearer" => by_developer_key(state, value.trim(), None, ip).await,
        "basic" => {
            let decoded = STANDARD.decode(value.trim()).map_err(|_| bad_credentials())?;
            let decoded = String::from_utf8(decoded).map_err(|_| bad_credentials())?;
            let (username, password) = decoded.split_once(':').ok_or_else(bad_credentials)?;
            if username.contains('@') {
                by_developer_key(state, password, Some(Email::normalize(username)), ip).await
            } else {
                by_api_credential(state, username, password).await
            }
        }
        _ => Err(bad_credentials()),
    }
}

/// Writes "last used" at most this often, so authenticated reads stay reads.
pub(crate) fn stale(last_used: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    last_used.is_none_or(|t| now - t > TOUCH_INTERVAL)
}

/// Who a developer key belongs to, as one lookup found it.
pub struct KeyCaller {
    pub key: DeveloperKeyRow,
    pub user: UserRow,
    pub account: AccountRow,
}

/// Authenticates by a developer key; `email`, when given (Basic), must be the key owner's.
/// A key seen within the last moment is answered from memory ([`crate::recent`]); `ip` (for
/// the last-use record) is only worked out when the database is asked.
pub async fn by_developer_key(
    state: &AppState,
    key: &str,
    email: Option<String>,
    ip: impl FnOnce() -> String,
) -> Result<CurrentUser, ApiError> {
    let now = Utc::now().naive_utc();
    let remembered_as = state.hasher.hash(key);
    let generation = state.recent.generation();
    // A remembered caller whose last use is due to be written goes the long way, which writes it.
    let remembered =
        state.recent.key_callers.get(&remembered_as, generation).filter(|c| !stale(c.key.last_used_at, now));
    let caller = match remembered {
        Some(caller) => Some(caller),
        None => {
            // A mistyped key is told apart before any lookup; it reveals nothing about accounts.
            // (A remembered key passed this check when it was first looked up.)
            DEVELOPER_KEY.check(key).map_err(|e| ApiError::BadCredentials(e.message()))?;
            let (candidates, ip) = (state.hasher.candidates(key), ip());
            let found = db::run(&state.pool, move |conn| {
                let Some((mut key, user, account)) = developer_keys::find_user(conn, &candidates)? else {
                    return Ok(None);
                };
                if stale(key.last_used_at, now) {
                    developer_keys::record_use(conn, &key.user_id, now, &ip)?;
                    (key.last_used_at, key.last_used_ip) = (Some(now), Some(ip));
                }
                Ok(Some(Arc::new(KeyCaller { key, user, account })))
            })
            .await?;
            if let Some(caller) = &found {
                state.recent.key_callers.put(remembered_as, caller.clone(), generation);
            }
            found
        }
    };
    match caller {
        Some(caller) if email.as_ref().is_none_or(|e| *e == caller.user.email_normalized) => Ok(CurrentUser {
            user: caller.user.clone(),
            account: caller.account.clone(),
            credential: Credential::DeveloperKey,
        }),
        _ => Err(bad_credentials()),
    }
}

async fn by_api_credential(state: &AppState, login: &str, password: &str) -> Result<CurrentUser, ApiError> {
    let login = login.to_string();
    let candidates = state.hasher.candidates(password);
    let now = Utc::now().naive_utc();
    let found = db::run(&state.pool, move |conn| {
        let found = api_credentials::find_live(conn, &login, now - API_CREDENTIAL_LIFETIME)?;
        let Some((credential, user, account)) = found else { return Ok(None) };
        if !candidates.iter().any(|c| constant_time_eq(c, credential.secret_hash.expose())) {
            return Ok(None);
        }
        if stale(Some(credential.last_used_at), now) {
            api_credentials::record_use(conn, &credential.id, now)?;
        }
        Ok(Some((user, account)))
    })
    .await?;
    let (user, account) = found.ok_or_else(bad_credentials)?;
    Ok(CurrentUser { user, account, credential: Credential::ApiCredential })
}
