//! Passkeys (WebAuthn): registering them, the list, and signing in with one. The WebAuthn options
//! and the browser's credential pass through as the JSON of the WebAuthn spec
//! (`PublicKeyCredential.parseCreationOptionsFromJSON`, `credential.toJSON()`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A registered passkey, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyResponse {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "crate::timestamp::deserialize_option")]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The first half of a ceremony: options for the browser, and the token that finishes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyCeremony {
    /// Send back with the browser's credential; single use, valid for 5 minutes.
    pub ceremony: String,
    /// `{"publicKey": …}` for `navigator.credentials.create` or `get`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// `POST /api/v1/me/passkeys`: finishes a registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPasskeyRequest {
    pub ceremony: String,
    /// What the user calls it ("Work laptop").
    pub name: String,
    /// The browser's `PublicKeyCredential`, as JSON.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// `PATCH /api/v1/me/passkeys/{id}`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenamePasskeyRequest {
    pub name: String,
}

/// `POST /api/v1/session/passkey` (a passwordless sign-in), and
/// `POST /api/v1/session/two-factor/passkey` (the second step, with `challenge`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySignInRequest {
    pub ceremony: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
    /// The second step's challenge from the password sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<crate::Secret>,
}
