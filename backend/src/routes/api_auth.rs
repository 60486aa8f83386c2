//! `POST /api/auth`, exactly as the original service: form fields in, HTTP Basic
//! credentials for the data APIs out, and `{"error": "..."}` bodies.

use crate::audit;
use crate::auth::extract::by_developer_key;
use crate::auth::password::Verdict;
use crate::auth::throttle::{self, Keys};
use crate::crypto::random_hex;
use crate::db::models::NewApiCredential;
use crate::db::{self, api_credentials, security_events, two_factor, users};
use crate::domain::Email;
use crate::error::ApiError;
use crate::notices::{self, Notice};
use crate::request::client_ip;
use crate::state::AppState;
use actix_web::http::header::{ALLOW, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use chrono::Utc;
use serde::Deserialize;
use shared::paths;
use shared::v1::{ApiAuthResponse, SecurityEventKind, TOOLS};
use shared::validate::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS};
use uuid::Uuid;

/// The form fields; all optional here so a missing one gets this endpoint's 400, not a generic one.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApiAuthForm {
    /// `dev`, `insight` or `fuseplus`
    tool: Option<String>,
    /// The user's email.
    login: Option<String>,
    /// The account password, or the developer key (required when two-factor authentication is on).
    password: Option<String>,
}

/// This endpoint's errors: the original service's `{"error": "..."}` shape.
#[derive(Debug, thiserror::Error)]
pub enum AuthEndpointError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("Too many failed attempts for this login. Try again in {0} seconds.")]
    Throttled(u64),
    #[error("The server is busy. Try again in {0} seconds.")]
    Busy(u64),
    #[error("Unknown error")]
    Unexpected(#[source] anyhow::Error),
}

impl From<ApiError> for AuthEndpointError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::RateLimited { retry_after_secs } => AuthEndpointError::Throttled(retry_after_secs),
            ApiError::ServerBusy { retry_after_secs } => AuthEndpointError::Busy(retry_after_secs),
            other => AuthEndpointError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

impl ResponseError for AuthEndpointError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthEndpointError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AuthEndpointError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AuthEndpointError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AuthEndpointError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AuthEndpointError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AuthEndpointError::Unexpected(cause) = self {
            tracing::error!(error = ?cause, "unexpected error in POST /api/auth");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AuthEndpointError::Throttled(secs) | AuthEndpointError::Busy(secs) = self {
            response.insert_header((RETRY_AFTER, secs.to_string()));
        }
        response.json(serde_json::json!({ "error": self.to_string() }))
    }
}

/// Form bodies for this endpoint: small, and a wrong content type is a 400 here.
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(8 * 1024).error_handler(|_, _| {
        AuthEndpointError::BadRequest(
            "Send tool, login and password as application/x-www-form-urlencoded form fields.".into(),
        )
        .into()
    })
}

pub async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((ALLOW, "POST"))
        .json(serde_json::json!({"error": "Invalid HTTP method: only POST is allowed."}))
}

const WRONG_CREDENTIALS: &str = "Authentication parameters invalid or the account is inactive. \
    If two-factor authentication is on for this user, the password must be their developer key.";

fn required(value: Option<String>, field: &str, max_chars: usize) -> Result<String, AuthEndpointError> {
    match value {
        Some(v) if !v.is_empty() && v.chars().count() <= max_chars => Ok(v),
        Some(v) if !v.is_empty() => Err(AuthEndpointError::BadRequest(format!("{field} is too long."))),
        _ => Err(AuthEndpointError::BadRequest(format!("{field} is required."))),
    }
}

#[utoipa::path(security(()), post, path = paths::API_AUTH, tag = "auth",
    request_body(content = ApiAuthForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "New API credentials for HTTP Basic", body = ApiAuthResponse),
        (status = 400, description = "Missing or invalid field, or not a form body"),
        (status = 401, description = "Bad credentials or inactive account"),
        (status = 405, description = "Only POST is allowed"),
        (status = 429, description = "Over 15 requests in 15 minutes from this address"),
        (status = 500, description = "Unknown error"),
        (status = 503, description = "The password-hashing queue is full; try again after Retry-After")))]
pub async fn authenticate(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ApiAuthForm>,
) -> Result<HttpResponse, AuthEndpointError> {
    let form = form.into_inner();
    let tool = required(form.tool, "tool", 16)?;
    if !TOOLS.contains(&tool.as_str()) {
        return Err(AuthEndpointError::BadRequest(format!("tool must be one of: {}.", TOOLS.join(", "))));
    }
    let login = Email::normalize(&required(form.login, "login", EMAIL_MAX_CHARS)?);
    let password = required(form.password, "password", PASSWORD_MAX_CHARS)?;
    let ip = client_ip(&req);

    let user_id = if password.starts_with(shared::key_format::DEVELOPER_KEY.prefix) {
        let caller = by_developer_key(&state, &password, Some(login), || ip).await;
        caller.map_err(|_| AuthEndpointError::Unauthorized(WRONG_CREDENTIALS.into()))?.user.id
    } else {
        by_password(&state, login, password, ip).await?
    };

    let (login, secret) = (random_hex(16), random_hex(16));
    let now = Utc::now().naive_utc();
    let row = NewApiCredential {
        id: Uuid::new_v4().to_string(),
        user_id,
        tool,
        login: login.clone(),
        secret_hash: state.hasher.hash(&secret),
        created_at: now,
        last_used_at: now,
    };
    let (user_id, detail) = (row.user_id.clone(), format!("for {}, login {}…", row.tool, &login[..8]));
    let tool = row.tool.clone();
    let ip = client_ip(&req);
    let (user, seen) = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        api_credentials::insert(conn, &row)?;
        let kind = SecurityEventKind::ApiCredentialsIssued.as_str();
        Ok((users::find_with_account(conn, &user_id)?, security_events::seen_from(conn, &user_id, kind, &ip)?))
    })
    .await?;
    if let Some((user, _)) = user {
        audit::record(&state, &req, &user, SecurityEventKind::ApiCredentialsIssued, detail).await;
        if !seen {
            notices::send(&state, &req, &user.email, Notice::ApiCredentialsFromNewAddress { tool });
        }
    }
    Ok(HttpResponse::Ok().json(ApiAuthResponse { login, password: secret.into() }))
}

/// The account password, throttled like sign-in; an unknown login costs a dummy hash.
async fn by_password(
    state: &AppState,
    email: String,
    password: String,
    ip: String,
) -> Result<String, AuthEndpointError> {
    let now = Utc::now().naive_utc();
    let keys = Keys::new(&email, &ip, None);
    let (keys, user) = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        throttle::reserve(conn, &keys, now)?;
        Ok((keys, users::find_by_email(conn, &email)?.filter(|u| u.is_active)))
    })
    .await?;
    let stored = user.as_ref().map(|u| u.password_hash.expose().to_string());
    let verdict = throttle::unless_busy(&state.pool, &keys, state.hashing.verify_user(password, stored).await).await?;
    match (user, verdict) {
        (Some(user), Verdict::Right { .. }) => {
            // A code cannot be given here, so with 2FA on only the developer key will do.
            let user_id = user.id.clone();
            let has_two_factor = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
                throttle::succeeded(conn, &keys)?;
                Ok(two_factor::find(conn, &user_id)?.is_some())
            })
            .await?;
            match has_two_factor {
                true => Err(AuthEndpointError::Unauthorized(WRONG_CREDENTIALS.into())),
                false => Ok(user.id),
            }
        }
        _ => Err(AuthEndpointError::Unauthorized(WRONG_CREDENTIALS.into())),
    }
}
