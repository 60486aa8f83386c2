//! The signed-in user: profile and password.

use crate::v1::{AccountSummary, DeveloperKeyState, Role, TwoFactorState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/me`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub account: AccountSummary,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Added with developer keys; absent from older servers.
    #[serde(default = "DeveloperKeyState::absent")]
    pub developer_key: DeveloperKeyState,
    /// Added with two-factor authentication.
    #[serde(default = "TwoFactorState::off")]
    pub two_factor: TwoFactorState,
    /// Added with email verification: false for a sign-up whose emailed link is not used yet.
    /// Nothing waits for it; the dashboard shows a reminder.
    #[serde(default = "verified")]
    pub email_verified: bool,
}

fn verified() -> bool {
    true
}

/// `PATCH /api/v1/me`: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Required when the email changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<crate::Secret>,
    /// Required when the email changes and two-factor authentication is on: a code from the app,
    /// one sent by `POST /api/v1/me/two-factor/confirmation-code`, or a one-time access code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_code: Option<crate::Secret>,
}

/// `PUT /api/v1/me/password`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: crate::Secret,
    pub new_password: crate::Secret,
    pub new_password_confirmation: crate::Secret,
    /// End the user's other sessions and revoke their API credentials (the default).
    #[serde(default = "yes")]
    pub end_other_sessions: bool,
}

fn yes() -> bool {
    true
}
