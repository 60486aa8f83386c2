//! The shape of the secrets Keydesk hands to scripts: a prefix people and secret scanners
//! recognise (`kd_` for developer keys, `kdt_` for personal access tokens), then base58 of 256
//! random bits and a checksum, so a typo or a truncated copy is told apart without asking the server.

/// One kind of secret's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFormat {
    pub prefix: &'static str,
    /// What people call it, for messages.
    pub noun: &'static str,
    /// Mixed into the checksum, so one kind's body never passes as the other's.
    label: &'static [u8],
}

/// The developer key: `kd_…`.
pub const DEVELOPER_KEY: KeyFormat =
    KeyFormat { prefix: "kd_", noun: "developer key", label: b"keydesk developer key" };
/// A personal access token: `kdt_…`.
pub const ACCESS_TOKEN: KeyFormat = KeyFormat { prefix: "kdt_", noun: "access token", label: b"keydesk access token" };

/// Random bytes in a key: 256 bits.
pub const RANDOM_BYTES: usize = 32;
const CHECKSUM_BYTES: usize = 4;

/// Why a string is not a well-formed key of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormatError {
    /// Not the prefix followed by base58: not this kind of key at all.
    NotAKey(KeyFormat),
    /// Shaped like a key, but the checksum fails: most likely a typo or a truncated copy.
    ChecksumMismatch(KeyFormat),
}

impl KeyFormatError {
    pub fn message(self) -> String {
        match self {
            KeyFormatError::NotAKey(f) => format!("This is not a Keydesk {} (they start with {}).", f.noun, f.prefix),
            KeyFormatError::ChecksumMismatch(f) => {
                format!("This {} is mistyped or incomplete (its checksum does not match); copy it again.", f.noun)
            }
        }
    }
}

impl KeyFormat {
    fn checksum(self, random: &[u8]) -> [u8; CHECKSUM_BYTES] {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new().chain_update(self.label).chain_update(random).finalize();
        let mut sum = [0; CHECKSUM_BYTES];
        sum.copy_from_slice(&digest[..CHECKSUM_BYTES]);
        sum
    }

    /// Formats random bytes as a key: prefix + base58(random ‖ checksum).
    pub fn format(self, random: &[u8; RANDOM_BYTES]) -> String {
        let mut bytes = random.to_vec();
        bytes.extend_from_slice(&self.checksum(random));
        format!("{}{}", self.prefix, bs58::encode(bytes).into_string())
    }

    /// Checks a key's shape and checksum without asking the server.
    pub fn check(self, key: &str) -> Result<(), KeyFormatError> {
        let body = key.strip_prefix(self.prefix).ok_or(KeyFormatError::NotAKey(self))?;
        let bytes = bs58::decode(body).into_vec().map_err(|_| KeyFormatError::NotAKey(self))?;
        if bytes.len() != RANDOM_BYTES + CHECKSUM_BYTES {
            return Err(KeyFormatError::ChecksumMismatch(self));
        }
        let (random, sum) = bytes.split_at(RANDOM_BYTES);
        if self.checksum(random) == sum {
            Ok(())
        } else {
            Err(KeyFormatError::ChecksumMismatch(self))
        }
    }

    /// `kd_…wxyz`: enough to recognise a key, too little to use it.
    pub fn hint(self, key: &str) -> String {
        let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        format!("{}…{tail}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_key_passes_its_own_check() {
        let key = DEVELOPER_KEY.format(&[42; 32]);
        assert!(key.starts_with("kd_"));
        assert_eq!(DEVELOPER_KEY.check(&key), Ok(()));
        let token = ACCESS_TOKEN.format(&[42; 32]);
        assert!(token.starts_with("kdt_"));
        assert_eq!(ACCESS_TOKEN.check(&token), Ok(()));
    }

    #[test]
    fn one_kind_never_passes_as_the_other() {
        let key = DEVELOPER_KEY.format(&[42; 32]);
        let token = ACCESS_TOKEN.format(&[42; 32]);
        assert_eq!(ACCESS_TOKEN.check(&key), Err(KeyFormatError::NotAKey(ACCESS_TOKEN)));
        assert!(DEVELOPER_KEY.check(&token).is_err());
        // The same body under the other prefix fails its checksum.
        let swapped = format!("kdt_{}", &key[3..]);
        assert_eq!(ACCESS_TOKEN.check(&swapped), Err(KeyFormatError::ChecksumMismatch(ACCESS_TOKEN)));
    }

    #[test]
    fn a_typo_or_truncation_is_told_apart_from_a_foreign_string() {
        let key = DEVELOPER_KEY.format(&[42; 32]);
        let mut typo: Vec<char> = key.chars().collect();
        let i = typo.len() / 2;
        typo[i] = if typo[i] == 'A' { 'B' } else { 'A' };
        let typo: String = typo.into_iter().collect();
        let mismatch = Err(KeyFormatError::ChecksumMismatch(DEVELOPER_KEY));
        assert_eq!(DEVELOPER_KEY.check(&typo), mismatch);
        assert_eq!(DEVELOPER_KEY.check(&key[..key.len() - 3]), mismatch);
        assert_eq!(DEVELOPER_KEY.check("ghp_abc"), Err(KeyFormatError::NotAKey(DEVELOPER_KEY)));
        assert_eq!(DEVELOPER_KEY.check("kd_0OIl"), Err(KeyFormatError::NotAKey(DEVELOPER_KEY)));
    }

    #[test]
    fn the_hint_shows_only_the_prefix_and_last_four() {
        assert_eq!(DEVELOPER_KEY.hint("kd_abcdefgh"), "kd_…efgh");
        assert_eq!(ACCESS_TOKEN.hint("kdt_abcdefgh"), "kdt_…efgh");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_generated_key_passes_and_any_changed_character_fails(
                random in any::<[u8; RANDOM_BYTES]>(),
                position in any::<prop::sample::Index>(),
                replacement in "[1-9A-HJ-NP-Za-km-z]",
            ) {
                for format in [DEVELOPER_KEY, ACCESS_TOKEN] {
                    let key = format.format(&random);
                    prop_assert_eq!(format.check(&key), Ok(()));
                    let body = &key[format.prefix.len()..];
                    let at = position.index(body.len());
                    prop_assume!(&body[at..at + 1] != replacement.as_str());
                    let changed = format!("{}{}{replacement}{}", format.prefix, &body[..at], &body[at + 1..]);
                    prop_assert!(format.check(&changed).is_err());
                }
            }

            #[test]
            fn any_text_is_judged_without_panicking(text in any::<String>()) {
                let verdict = DEVELOPER_KEY.check(&text);
                if !text.starts_with(DEVELOPER_KEY.prefix) {
                    prop_assert_eq!(verdict, Err(KeyFormatError::NotAKey(DEVELOPER_KEY)));
                }
            }
        }
    }
}
