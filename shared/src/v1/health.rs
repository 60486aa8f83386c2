//! `GET /healthz`

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// `ok` when the database answers, `degraded` otherwise.
    pub status: String,
    pub database: String,
}
