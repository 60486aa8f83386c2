//! JS libraries: common JavaScript functions an account's applications can include.

use crate::v1::ApplicationRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/js-libraries`, `PUT /api/v1/js-libraries/{id}`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JsLibraryRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// At most 16384 characters of plain-script JavaScript.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JsLibraryResponse {
    pub id: String,
    pub name: String,
    pub description: String,
    pub code: String,
    /// Deployed applications whose settings use the library.
    pub deployed_applications: Vec<ApplicationRef>,
    /// Every application whose settings use it, deployed or not.
    pub used_by: Vec<ApplicationRef>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub updated_at: DateTime<Utc>,
}
