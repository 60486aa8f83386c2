//! The security log: what happened to an account's sign-ins and credentials, when, from where.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

macro_rules! event_kinds {
    ($($kind:ident => $name:literal, $label:literal;)*) => {
        /// Every security-relevant kind of event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum SecurityEventKind { $($kind),* }

        impl SecurityEventKind {
            pub const ALL: &'static [SecurityEventKind] = &[$(SecurityEventKind::$kind),*];

            pub fn as_str(self) -> &'static str {
                match self { $(SecurityEventKind::$kind => $name),* }
            }

            /// How the dashboard names it.
            pub fn label(self) -> &'static str {
                match self { $(SecurityEventKind::$kind => $label),* }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == text)
            }
        }
    };
}

event_kinds! {
    SignIn => "sign_in", "Signed in";
    SignInFailed => "sign_in_failed", "Sign-in failed";
    SignOut => "sign_out", "Signed out";
    TwoFactorChanged => "two_factor_changed", "Two-factor authentication changed";
    RecoveryCodeUsed => "recovery_code_used", "One-time access code used";
    TwoFactorFailed => "two_factor_failed", "Wrong two-factor code";
    SessionEnded => "session_ended", "Session ended";
    PasskeyAdded => "passkey_added", "Passkey added";
    PasskeyRemoved => "passkey_removed", "Passkey removed";
    PasskeyUsed => "passkey_used", "Signed in with a passkey";
    PasswordChanged => "password_changed", "Password changed";
    EmailChanged => "email_changed", "Email changed";
    DeveloperKeyGenerated => "developer_key_generated", "Developer key generated";
    DeveloperKeyShown => "developer_key_shown", "Developer key shown";
    ApiCredentialsIssued => "api_credentials_issued", "API credentials issued";
    ApiCredentialsRevoked => "api_credentials_revoked", "API credentials revoked";
    AccessTokenCreated => "access_token_created", "Access token created";
    AccessTokenNewAddress => "access_token_new_address", "Access token used from a new address";
    AccessTokenExpired => "access_token_expired", "Access token expired";
    AccessTokenRevoked => "access_token_revoked", "Access token revoked";
    TokenPolicyChanged => "token_policy_changed", "Access token policy changed";
    CertificateAdded => "certificate_added", "Certificate added";
    CertificateDeleted => "certificate_deleted", "Certificate deleted";
    TokenAdded => "token_added", "OAuth token added";
    TokenChanged => "token_changed", "OAuth token changed";
    TokenDeleted => "token_deleted", "OAuth token deleted";
    LibraryAdded => "library_added", "JS library added";
    LibraryChanged => "library_changed", "JS library changed";
    LibraryDeleted => "library_deleted", "JS library deleted";
    IntegrationAdded => "integration_added", "Integration added";
    IntegrationChanged => "integration_changed", "Integration changed";
    IntegrationDeleted => "integration_deleted", "Integration deleted";
    UserAdded => "user_added", "User added";
    UserChanged => "user_changed", "User changed";
    RoleChanged => "role_changed", "Role changed";
    UserDeleted => "user_deleted", "User deleted";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityEvent {
    pub id: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub at: DateTime<Utc>,
    pub kind: SecurityEventKind,
    /// Who did it (or whose sign-in it was), if that user still exists.
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// What it concerned, in words: a certificate's domain, a user's email, ...
    pub detail: String,
    pub ip: String,
    pub user_agent: String,
    /// The browser and system in words, e.g. `Chrome 131 on Windows 10`.
    #[serde(default)]
    pub browser: String,
}

/// One page of events, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityEventPage {
    pub events: Vec<SecurityEvent>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}
