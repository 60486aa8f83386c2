//! Admin options: the account's users and the account's company details.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

/// A user of the account as admins see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub can_create: bool,
    pub can_share: bool,
    pub two_factor: bool,
    pub active: bool,
    #[serde(default, deserialize_with = "crate::timestamp::deserialize_option")]
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// Invited and not yet signed up: no password chosen from the emailed link.
    #[serde(default)]
    pub invited: bool,
}

/// `POST /api/v1/users`: the new user gets an email to set a password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUserRequest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Account Admin; default no.
    #[serde(default)]
    pub admin: bool,
    #[serde(default = "yes")]
    pub can_create: bool,
    #[serde(default = "yes")]
    pub can_share: bool,
}

/// `PATCH /api/v1/users/{id}`: what is given changes. The last active admin cannot be demoted or
/// deactivated (409 `last_admin`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdate {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub admin: Option<bool>,
    #[serde(default)]
    pub can_create: Option<bool>,
    #[serde(default)]
    pub can_share: Option<bool>,
    /// false deactivates: the user's sessions, developer key and API credentials stop at once.
    #[serde(default)]
    pub active: Option<bool>,
}

/// `POST /api/v1/password`: sets a password from an invitation or reset link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPasswordRequest {
    pub token: crate::Secret,
    pub new_password: crate::Secret,
    pub new_password_confirmation: crate::Secret,
}

/// `GET /api/v1/account`, `PUT /api/v1/account` (admins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountInfo {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub zip: String,
    #[serde(default)]
    pub phone: String,
}

/// `POST /api/v1/password-reset`: "Forgot password?". The answer is the same whether or not an
/// account uses the address.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}
