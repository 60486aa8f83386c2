//! Developer keys: the credential scripts use (`Authorization: Bearer <key>`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/me/developer-key`: the key's state, never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeveloperKeyState {
    pub exists: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::deserialize_option"
    )]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::deserialize_option"
    )]
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address the key was last used from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_ip: Option<String>,
    /// Enough of the key to tell which one it is (`kd_…wxyz`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl DeveloperKeyState {
    pub fn absent() -> Self {
        DeveloperKeyState { exists: false, created_at: None, last_used_at: None, last_used_ip: None, hint: None }
    }
}

/// `POST /api/v1/me/developer-key` and `.../reveal`: the password is needed when the
/// session's last password check is over 15 minutes old.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReauthenticateRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<crate::Secret>,
}

/// The key itself, with its state: the answer to generating or revealing it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeveloperKeyResponse {
    pub key: crate::Secret,
    #[serde(flatten)]
    pub state: DeveloperKeyState,
}
