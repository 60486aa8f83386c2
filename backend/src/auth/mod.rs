//! Who is calling: password hashing, sessions, the request extractor, and
//! sign-in throttling.

pub mod extract;
pub mod password;
pub mod session;
pub mod throttle;

pub use extract::CurrentUser;
