//! Remembered devices: browsers the user has signed in from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/me/devices` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceResponse {
    pub id: String,
    pub user_agent: String,
    /// The browser and system in words, e.g. `Chrome 131 on Windows 10`.
    #[serde(default)]
    pub browser: String,
    pub ip: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub last_seen_at: DateTime<Utc>,
    /// True for the browser making this request.
    pub current: bool,
}
