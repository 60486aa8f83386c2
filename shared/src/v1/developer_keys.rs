//! Developer keys: the credential scripts use (`Authorization: Bearer <key>`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The prefix every developer key starts with, so people and secret scanners recognise one.
pub const DEVELOPER_KEY_PREFIX: &str = "kd_";

/// `GET /api/v1/me/developer-key`: the key's state, never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeveloperKeyState {
    pub exists: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address the key was last used from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_ip: Option<String>,
    /// Enough of the key to tell which one it is (`kd_…wxyz`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl DeveloperKeyState {
    pub fn absent() -> Self {
        DeveloperKeyState { exists: false, created_at: None, last_used_at: None, last_used_ip: None, hint: None }
    }
}

/// `POST /api/v1/me/developer-key` and `.../reveal`: the password is needed when the
/// session's last password check is over 15 minutes old.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReauthenticateRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for ReauthenticateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReauthenticateRequest").field("password", &self.password.as_ref().map(|_| "***")).finish()
    }
}

/// The key itself, with its state: the answer to generating or revealing it.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeveloperKeyResponse {
    pub key: String,
    #[serde(flatten)]
    pub state: DeveloperKeyState,
}

impl std::fmt::Debug for DeveloperKeyResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeveloperKeyResponse").field("key", &"***").field("state", &self.state).finish()
    }
}

/// Random bytes in a key: 256 bits.
pub const DEVELOPER_KEY_RANDOM_BYTES: usize = 32;
const CHECKSUM_BYTES: usize = 4;

/// Why a string is not a well-formed developer key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormatError {
    /// Not `kd_` followed by base58: not a Keydesk key at all.
    NotAKey,
    /// Shaped like a key, but the checksum fails: most likely a typo or a truncated copy.
    ChecksumMismatch,
}

impl KeyFormatError {
    pub fn message(self) -> &'static str {
        match self {
            KeyFormatError::NotAKey => "This is not a Keydesk developer key (they start with kd_).",
            KeyFormatError::ChecksumMismatch => {
                "This developer key is mistyped or incomplete (its checksum does not match); copy it again."
            }
        }
    }
}

fn checksum(random: &[u8]) -> [u8; CHECKSUM_BYTES] {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(b"keydesk developer key").chain_update(random).finalize();
    let mut sum = [0; CHECKSUM_BYTES];
    sum.copy_from_slice(&digest[..CHECKSUM_BYTES]);
    sum
}

/// Formats random bytes as a key: `kd_` + base58(random ‖ checksum).
pub fn format_developer_key(random: &[u8; DEVELOPER_KEY_RANDOM_BYTES]) -> String {
    let mut bytes = random.to_vec();
    bytes.extend_from_slice(&checksum(random));
    format!("{DEVELOPER_KEY_PREFIX}{}", bs58::encode(bytes).into_string())
}

/// Checks a key's shape and checksum without asking the server.
pub fn check_developer_key_format(key: &str) -> Result<(), KeyFormatError> {
    let body = key.strip_prefix(DEVELOPER_KEY_PREFIX).ok_or(KeyFormatError::NotAKey)?;
    let bytes = bs58::decode(body).into_vec().map_err(|_| KeyFormatError::NotAKey)?;
    if bytes.len() != DEVELOPER_KEY_RANDOM_BYTES + CHECKSUM_BYTES {
        return Err(KeyFormatError::ChecksumMismatch);
    }
    let (random, sum) = bytes.split_at(DEVELOPER_KEY_RANDOM_BYTES);
    if checksum(random) == sum {
        Ok(())
    } else {
        Err(KeyFormatError::ChecksumMismatch)
    }
}

/// `kd_…wxyz`: enough to recognise a key, too little to use it.
pub fn developer_key_hint(key: &str) -> String {
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{DEVELOPER_KEY_PREFIX}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_key_passes_its_own_check() {
        let key = format_developer_key(&[42; 32]);
        assert!(key.starts_with("kd_"));
        assert_eq!(check_developer_key_format(&key), Ok(()));
    }

    #[test]
    fn a_typo_or_truncation_is_told_apart_from_a_foreign_string() {
        let key = format_developer_key(&[42; 32]);
        let mut typo: Vec<char> = key.chars().collect();
        let i = typo.len() / 2;
        typo[i] = if typo[i] == 'A' { 'B' } else { 'A' };
        let typo: String = typo.into_iter().collect();
        assert_eq!(check_developer_key_format(&typo), Err(KeyFormatError::ChecksumMismatch));
        assert_eq!(check_developer_key_format(&key[..key.len() - 3]), Err(KeyFormatError::ChecksumMismatch));
        assert_eq!(check_developer_key_format("ghp_abc"), Err(KeyFormatError::NotAKey));
        assert_eq!(check_developer_key_format("kd_0OIl"), Err(KeyFormatError::NotAKey));
    }

    #[test]
    fn the_hint_shows_only_the_prefix_and_last_four() {
        assert_eq!(developer_key_hint("kd_abcdefgh"), "kd_…efgh");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_generated_key_passes_and_any_changed_character_fails(
                random in any::<[u8; DEVELOPER_KEY_RANDOM_BYTES]>(),
                position in any::<prop::sample::Index>(),
                replacement in "[1-9A-HJ-NP-Za-km-z]",
            ) {
                let key = format_developer_key(&random);
                prop_assert_eq!(check_developer_key_format(&key), Ok(()));
                let body = &key[DEVELOPER_KEY_PREFIX.len()..];
                let at = position.index(body.len());
                prop_assume!(&body[at..at + 1] != replacement.as_str());
                let changed = format!("{DEVELOPER_KEY_PREFIX}{}{replacement}{}", &body[..at], &body[at + 1..]);
                prop_assert!(check_developer_key_format(&changed).is_err());
            }

            #[test]
            fn any_text_is_judged_without_panicking(text in any::<String>()) {
                let verdict = check_developer_key_format(&text);
                if !text.starts_with(DEVELOPER_KEY_PREFIX) {
                    prop_assert_eq!(verdict, Err(KeyFormatError::NotAKey));
                }
            }
        }
    }
}
