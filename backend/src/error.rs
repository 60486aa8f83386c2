//! The one API error type. It renders the contract's JSON shape with a stable
//! `code`; the text of an unexpected error goes to the log, never to the client.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shared::{ErrorBody, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request could not be read (bad JSON, missing field, wrong type).
    #[error("{0}")]
    BadRequest(String),
    /// 422: the request was read, and some fields break the rules.
    #[error("{message}")]
    Validation { message: String, fields: FieldErrors },
    /// 422 with its own code: one field is unusable in a way a client may want to tell apart.
    #[error("{message}")]
    Rejected { code: ErrorCode, field: &'static str, message: String },
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 401 for credentials sent in the Authorization header, with `WWW-Authenticate`.
    #[error("{0}")]
    BadCredentials(String),
    /// 401 `token_expired`: an access token past its expiry.
    #[error("{0}")]
    TokenExpired(String),
    /// 403 `insufficient_scope`: an access token without the scope the operation needs (None: no
    /// token may call it).
    #[error("{}", insufficient_scope_message(.0))]
    InsufficientScope(Option<shared::v1::Scope>),
    /// 403: signed in, but not allowed.
    #[error("{message}")]
    Forbidden { code: ErrorCode, message: String },
    /// 404, also for other accounts' objects.
    #[error("{0}")]
    NotFound(String),
    #[error("This method is not allowed here.")]
    MethodNotAllowed,
    /// 409
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    #[error("The request body is too large.")]
    PayloadTooLarge,
    /// 408: the body did not arrive within the client deadline.
    #[error("The request body did not arrive in time.")]
    RequestTimeout,
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 502: an email or SMS could not be sent.
    #[error("{0}")]
    DeliveryFailed(String),
    /// 502: a remote server named in the request could not be reached, or answered unusably.
    #[error("{message}")]
    Upstream { code: ErrorCode, message: String },
    /// 429, with `Retry-After`.
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// 503, with `Retry-After`: the password-hashing queue is full.
    #[error("The server is busy. Try again in {retry_after_secs} seconds.")]
    ServerBusy { retry_after_secs: u64 },
    /// 500: a real fault of ours. The cause is logged, not shown.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 for the given field problems.
    pub fn validation(fields: FieldErrors) -> Self {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        ApiError::Validation { message: format!("Please correct: {}.", names.join(", ")), fields }
    }

    /// A 422 for one field.
    pub fn field(field: &str, problem: impl Into<String>) -> Self {
        ApiError::validation(FieldErrors::from([(field.to_string(), vec![problem.into()])]))
    }

    /// The same answer for another request that shared this one's fate (a batch of writes to one
    /// row). An unexpected fault's cause stays with this one; the copies carry its message.
    pub fn same_answer(&self) -> ApiError {
        match self {
            ApiError::BadRequest(m) => ApiError::BadRequest(m.clone()),
            ApiError::Validation { message, fields } => {
                ApiError::Validation { message: message.clone(), fields: fields.clone() }
            }
            ApiError::Rejected { code, field, message } => {
                ApiError::Rejected { code: *code, field, message: message.clone() }
            }
            ApiError::Unauthorized(m) => ApiError::Unauthorized(m.clone()),
            ApiError::BadCredentials(m) => ApiError::BadCredentials(m.clone()),
            ApiError::TokenExpired(m) => ApiError::TokenExpired(m.clone()),
            ApiError::InsufficientScope(scope) => ApiError::InsufficientScope(*scope),
            ApiError::Forbidden { code, message } => ApiError::Forbidden { code: *code, message: message.clone() },
            ApiError::NotFound(m) => ApiError::NotFound(m.clone()),
            ApiError::MethodNotAllowed => ApiError::MethodNotAllowed,
            ApiError::Conflict { code, message } => ApiError::Conflict { code: *code, message: message.clone() },
            ApiError::PayloadTooLarge => ApiError::PayloadTooLarge,
            ApiError::RequestTimeout => ApiError::RequestTimeout,
            ApiError::UnsupportedMediaType(m) => ApiError::UnsupportedMediaType(m.clone()),
            ApiError::DeliveryFailed(m) => ApiError::DeliveryFailed(m.clone()),
            ApiError::Upstream { code, message } => ApiError::Upstream { code: *code, message: message.clone() },
            ApiError::RateLimited { retry_after_secs } => ApiError::RateLimited { retry_after_secs: *retry_after_secs },
            ApiError::ServerBusy { retry_after_secs } => ApiError::ServerBusy { retry_after_secs: *retry_after_secs },
            ApiError::Unexpected(cause) => ApiError::Unexpected(anyhow::anyhow!("{cause:#}")),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Validation { .. } => ErrorCode::ValidationFailed,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::BadCredentials(_) => ErrorCode::InvalidCredentials,
            ApiError::TokenExpired(_) => ErrorCode::TokenExpired,
            ApiError::InsufficientScope(_) => ErrorCode::InsufficientScope,
            ApiError::Forbidden { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Rejected { code, .. }
            | ApiError::Upstream { code, .. } => *code,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::RequestTimeout => ErrorCode::RequestTimeout,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::ServerBusy { .. } => ErrorCode::ServerBusy,
            ApiError::DeliveryFailed(_) => ErrorCode::DeliveryFailed,
            ApiError::Unexpected(_) => ErrorCode::InternalError,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::Unexpected(anyhow::Error::new(e).context("database query failed"))
    }
}

impl From<crate::db::Error> for ApiError {
    fn from(e: crate::db::Error) -> Self {
        ApiError::Unexpected(anyhow::Error::new(e))
    }
}

impl From<crate::domain::Invalid> for ApiError {
    fn from(invalid: crate::domain::Invalid) -> Self {
        ApiError::validation(invalid.0)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } | ApiError::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) | ApiError::BadCredentials(_) | ApiError::TokenExpired(_) => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden { .. } | ApiError::InsufficientScope(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ServerBusy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::DeliveryFailed(_) | ApiError::Upstream { .. } => StatusCode::BAD_GATEWAY,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, fields) = match self {
            ApiError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "unexpected error");
                ("Something went wrong on our side. Please try again.".to_string(), None)
            }
            ApiError::Validation { message, fields } => (message.clone(), Some(fields.clone())),
            ApiError::Rejected { field, message, .. } => {
                (message.clone(), Some(FieldErrors::from([(field.to_string(), vec![message.clone()])])))
            }
            other => (other.to_string(), None),
        };
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::RateLimited { retry_after_secs } | ApiError::ServerBusy { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // Only for header credentials: a challenge on cookie requests would make browsers prompt.
            ApiError::BadCredentials(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="keydesk", Basic realm="keydesk""#));
            }
            // RFC 6750's challenges, so OAuth-aware clients can tell what went wrong.
            ApiError::TokenExpired(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="keydesk", error="invalid_token""#));
            }
            ApiError::InsufficientScope(needed) => {
                let scope = needed.map(|s| format!(r#", scope="{s}""#)).unwrap_or_default();
                let challenge = format!(r#"Bearer realm="keydesk", error="insufficient_scope"{scope}"#);
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            _ => {}
        }
        response.json(ErrorBody { error, code: self.code(), fields })
    }
}

fn insufficient_scope_message(needed: &Option<shared::v1::Scope>) -> String {
    match needed {
        Some(scope) => format!("This access token lacks the {scope} scope this request needs."),
        None => "Access tokens cannot be used here: keys, tokens, passwords, two-factor authentication and sessions \
                 are managed only by a signed-in person (or with the developer key)."
            .into(),
    }
}

/// `Result` for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
