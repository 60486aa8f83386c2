//! One routed page per file.

pub mod account;
pub mod applications;
pub mod certificates;
pub mod forgot_password;
pub mod home;
pub mod integrations;
pub mod js_libraries;
pub mod not_found;
pub mod oauth_tokens;
pub mod set_password;
pub mod sign_in;
pub mod sign_up;
pub mod verify_email;
