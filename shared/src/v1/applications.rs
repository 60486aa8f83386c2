//! Applications and their deployments: the minimal model JS libraries and tokens attach to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `POST /api/v1/applications`, `PUT /api/v1/applications/{id}`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The JS libraries the application's settings use, in order.
    #[serde(default)]
    pub library_ids: Vec<String>,
    /// The integrations the application's settings use; left out, they stay as they are.
    #[serde(default)]
    pub integration_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationResponse {
    pub id: String,
    pub name: String,
    pub description: String,
    pub library_ids: Vec<String>,
    #[serde(default)]
    pub integration_ids: Vec<String>,
    pub deployments: Vec<DeploymentResponse>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub updated_at: DateTime<Utc>,
}

/// An application named from elsewhere (a library's users, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationRef {
    pub id: String,
    pub name: String,
}

/// `POST /api/v1/deployments`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentRequest {
    pub application_id: String,
    /// e.g. Production, Testing
    pub label: String,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// `PUT /api/v1/deployments/{id}`: a deployment stays with its application.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentUpdate {
    pub label: String,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// The OAuth token assigned to the deployment (accounts with Stripe enabled); none unassigns.
    #[serde(default)]
    pub oauth_token_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeploymentResponse {
    pub id: String,
    pub application_id: String,
    pub label: String,
    pub variables: BTreeMap<String, String>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub oauth_token_id: Option<String>,
}
