//! OAuth tokens from Stripe (Connect OAuth), for accounts an operator enabled Stripe for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Live,
    Test,
}

impl TokenType {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Live => "live",
            TokenType::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "live" => Some(TokenType::Live),
            "test" => Some(TokenType::Test),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenType::Live => "Live",
            TokenType::Test => "Test",
        }
    }
}

/// `POST /api/v1/oauth-tokens`: starts Stripe's authorization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenRequest {
    /// Only `stripe`.
    pub provider: String,
    pub token_type: TokenType,
    #[serde(default)]
    pub description: String,
}

/// Where to send the browser: Stripe's authorize page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorizeResponse {
    pub authorize_url: String,
}

/// `PATCH /api/v1/oauth-tokens/{id}`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenUpdate {
    #[serde(default)]
    pub description: Option<String>,
    /// A different type re-runs the authorization: the answer carries `authorize_url`.
    #[serde(default)]
    pub token_type: Option<TokenType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenUpdateResponse {
    pub token: OAuthTokenResponse,
    /// Present when the type changed: the token keeps its old grant until Stripe's new one arrives.
    pub authorize_url: Option<String>,
}

/// A deployment a token is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenAssignment {
    pub deployment_id: String,
    pub deployment_label: String,
    pub application_id: String,
    pub application_name: String,
}

/// A stored token. The access and refresh tokens themselves are never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthTokenResponse {
    pub id: String,
    pub provider: String,
    pub token_type: TokenType,
    pub description: String,
    /// The connected Stripe account (`acct_...`).
    pub stripe_account_id: String,
    pub scope: String,
    pub assigned_to: Vec<TokenAssignment>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub updated_at: DateTime<Utc>,
}
