//! Sign-up: an account and its first admin.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/accounts`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpRequest {
    pub account_name: String,
    pub name: String,
    pub email: String,
    pub password: crate::Secret,
}

/// A user's role within their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Standard,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Standard => "standard",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "standard" => Some(Role::Standard),
            _ => None,
        }
    }
}

/// The account a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: String,
    pub name: String,
    /// An operator enabled Stripe for the account: the OAuth Tokens tab and its endpoints exist.
    #[serde(default)]
    pub stripe_enabled: bool,
}

/// `POST /api/v1/email-verification`: the token from the link a new sign-up was emailed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmailRequest {
    pub token: crate::Secret,
}
