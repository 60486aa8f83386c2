//! Who is calling: password hashing, sessions, the request extractor, and
//! sign-in throttling.

pub mod access_tokens;
pub mod extract;
pub mod passkeys;
pub mod password;
pub mod reauth;
pub mod scopes;
pub mod second_factor;
pub mod session;
pub mod throttle;
pub mod totp;
pub mod two_factor;

pub use extract::{AdminUser, CurrentUser};

/// API credentials from `POST /api/auth` lapse this long after their last use.
pub const API_CREDENTIAL_LIFETIME: chrono::Duration = chrono::Duration::hours(24);
