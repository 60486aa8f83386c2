//! Sign-in and the session it creates.

use crate::v1::MeResponse;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/session`
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest").field("email", &self.email).field("password", &"***").finish()
    }
}

/// The answer to a sign-in or sign-up that created a session.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInResponse {
    /// True when a second step is needed before a session exists.
    #[serde(default)]
    pub two_factor_required: bool,
    /// Send back in `X-CSRF-Token` on every cookie-authenticated write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<MeResponse>,
    /// With `two_factor_required`: send it back with the code to `POST /api/v1/session/two-factor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<crate::v1::TwoFactorMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_hint: Option<String>,
}
