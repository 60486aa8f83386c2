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

/// A stored word that names no variant of its enum: reading it back is an error, never a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not a known {}", self.value, self.kind)
    }
}

impl std::error::Error for UnknownValue {}

/// Enums kept in the database as their snake_case word (`as_str`, `parse`): reading an unknown word
/// back is an error. The server's own stored words (`db::purposes`) use it too.
#[macro_export]
macro_rules! stored_as_text {
    ($($ty:ident),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = $crate::v1::UnknownValue;
            fn try_from(value: String) -> Result<Self, $crate::v1::UnknownValue> {
                $ty::parse(&value).ok_or($crate::v1::UnknownValue { kind: stringify!($ty), value })
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_string()
            }
        }
    )*};
}

stored_as_text!(Role, TokenType, TwoFactorMethod, AuthMethod, SecurityEventKind, IntegrationType);

#[cfg(test)]
mod stored_words {
    use super::*;

    #[test]
    fn a_stored_word_reads_back_and_an_unknown_one_is_an_error() {
        assert_eq!(Role::try_from(String::from(Role::Admin)), Ok(Role::Admin));
        assert_eq!(TokenType::try_from("live".to_string()), Ok(TokenType::Live));
        let unknown = TokenType::try_from("sandbox".to_string()).unwrap_err();
        assert_eq!(unknown.to_string(), "\"sandbox\" is not a known TokenType");
        assert!(Role::try_from("superuser".to_string()).is_err());
    }
}
