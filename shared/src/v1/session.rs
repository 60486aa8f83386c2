//! Sign-in and the session it creates.

use crate::v1::MeResponse;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/session`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: crate::Secret,
}

/// The answer to a sign-in or sign-up that created a session.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInResponse {
    /// True when a second step is needed before a session exists.
    #[serde(default)]
    pub two_factor_required: bool,
    /// Send back in `X-CSRF-Token` on every cookie-authenticated write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<crate::Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<MeResponse>,
    /// With `two_factor_required`: send it back with the code to `POST /api/v1/session/two-factor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<crate::Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<crate::v1::TwoFactorMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_hint: Option<String>,
    /// With `two_factor_required`: the user has a passkey, which may answer the challenge instead
    /// (`POST /api/v1/session/two-factor/passkey-options`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub passkey: bool,
}

/// How a session was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Password,
    PasswordAndSecondFactor,
    /// A passkey, which counts as two factors.
    Passkey,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 3] = [AuthMethod::Password, AuthMethod::PasswordAndSecondFactor, AuthMethod::Passkey];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::PasswordAndSecondFactor => "password_and_second_factor",
            AuthMethod::Passkey => "passkey",
        }
    }

    pub fn parse(text: &str) -> Option<AuthMethod> {
        AuthMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// How the dashboard names it.
    pub fn label(self) -> &'static str {
        match self {
            AuthMethod::Password => "Password",
            AuthMethod::PasswordAndSecondFactor => "Password and second factor",
            AuthMethod::Passkey => "Passkey",
        }
    }
}

/// `GET /api/v1/me/sessions` and `GET /api/v1/users/{id}/sessions` items: where a user is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Within a minute: activity is recorded at most once a minute.
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub last_active_at: chrono::DateTime<chrono::Utc>,
    pub ip: String,
    /// The browser and system in words, e.g. `Chrome 131 on Windows 10`.
    pub browser: String,
    /// The full User-Agent string.
    pub user_agent: String,
    pub auth_method: AuthMethod,
    /// True for the session making this request.
    pub current: bool,
}

/// The second step's challenge alone: `POST /api/v1/session/two-factor/resend` and
/// `POST /api/v1/session/two-factor/passkey-options`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeRequest {
    pub challenge: crate::Secret,
}
