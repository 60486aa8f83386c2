//! API credentials issued by `POST /api/auth`, as the dashboard lists them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The tools `POST /api/auth` issues credentials for.
pub const TOOLS: [&str; 3] = ["dev", "insight", "fuseplus"];

/// `GET /api/v1/me/api-credentials` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiCredentialResponse {
    pub id: String,
    pub tool: String,
    /// The first characters of the Basic-auth login, to tell credentials apart.
    pub login_hint: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub last_used_at: DateTime<Utc>,
    /// Unused credentials lapse 24 hours after their last use.
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/auth` success body, exactly as the original service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiAuthResponse {
    pub login: String,
    pub password: crate::Secret,
}
