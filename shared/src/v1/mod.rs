//! The stable `/api/v1` wire types. They only grow by addition: new fields
//! are optional with serde defaults, so older clients keep working.

pub mod access_tokens;
pub mod accounts;
pub mod api_credentials;
pub mod applications;
pub mod certificates;
pub mod developer_keys;
pub mod devices;
pub mod health;
pub mod integrations;
pub mod js_libraries;
pub mod me;
pub mod oauth_tokens;
pub mod passkeys;
pub mod rest_requests;
pub mod security_events;
pub mod session;
pub mod two_factor;
pub mod users;

pub use access_tokens::*;
pub use accounts::*;
pub use api_credentials::*;
pub use applications::*;
pub use certificates::*;
pub use developer_keys::*;
pub use devices::*;
pub use health::*;
pub use integrations::*;
pub use js_libraries::*;
pub use me::*;
pub use oauth_tokens::*;
pub use passkeys::*;
pub use rest_requests::*;
pub use security_events::*;
pub use session::*;
pub use two_factor::*;
pub use users::*;
