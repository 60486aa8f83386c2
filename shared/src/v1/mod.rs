//! The stable `/api/v1` wire types. They only grow by addition: new fields
//! are optional with serde defaults, so older clients keep working.

pub mod accounts;
pub mod health;
pub mod me;
pub mod session;

pub use accounts::*;
pub use health::*;
pub use me::*;
pub use session::*;
