//! Keydesk's shared vocabulary: the wire types of the JSON API and the
//! validation rules that the API and the SPA both apply.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::todo)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod common_passwords;
pub mod error;
pub mod key_format;
pub mod paths;
pub mod secret;
pub mod timestamp;
pub mod v1;
pub mod validate;

pub use error::{ErrorBody, ErrorCode, FieldErrors};
pub use secret::Secret;
