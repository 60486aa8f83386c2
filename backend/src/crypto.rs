//! Secrets at rest (AES-256-GCM with a key id, so keys can be rotated),
//! random tokens, and the fast hash used to look high-entropy tokens up.

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use anyhow::{anyhow, bail, Context};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

const NONCE_LEN: usize = 12;
const KEY_FILE: &str = "secret.key";

/// Encrypts and decrypts column values. Sealed values read `v2.<key id>.<base64url(nonce || ciphertext)>`;
/// the key id names the key that sealed them, so old keys can still open old values after a rotation,
/// and the place the value is stored in (table, column, row) is sealed with it as associated data, so a
/// value copied to another row does not open there. Values sealed before places were bound read
/// `<key id>.<...>` and still open; start-up seals them again, bound (`db::sealed_values`).
pub struct SecretBox {
    current_id: String,
    ciphers: HashMap<String, Aes256Gcm>,
}

/// Where a sealed value is stored.
#[derive(Debug, Clone, Copy)]
pub struct SealedAt<'a> {
    pub table: &'static str,
    pub column: &'static str,
    pub row: &'a str,
}

impl SealedAt<'_> {
    fn associated_data(&self) -> Vec<u8> {
        format!("keydesk sealed v2\0{}\0{}\0{}", self.table, self.column, self.row).into_bytes()
    }
}

/// Begins every value sealed bound to its place.
pub const BOUND_PREFIX: &str = "v2.";

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretBox").field("current_id", &self.current_id).finish_non_exhaustive()
    }
}

fn key_id(key: &[u8; 32]) -> String {
    let digest = Sha256::new().chain_update(b"keydesk key id").chain_update(key).finalize();
    hex::encode(&digest[..4])
}

impl SecretBox {
    /// `current` seals new values; `previous` keys only open old ones.
    pub fn new(current: [u8; 32], previous: &[[u8; 32]]) -> Self {
        let current_id = key_id(&current);
        let ciphers = std::iter::once(&current)
            .chain(previous)
            .map(|k| (key_id(k), Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(k))))
            .collect();
        SecretBox { current_id, ciphers }
    }

    pub fn seal(&self, plaintext: &[u8], at: SealedAt<'_>) -> anyhow::Result<String> {
        Ok(format!("{BOUND_PREFIX}{}", self.seal_with(plaintext, &at.associated_data())?))
    }

    /// `<key id>.<base64url(nonce || ciphertext)>`
    fn seal_with(&self, plaintext: &[u8], aad: &[u8]) -> anyhow::Result<String> {
        let cipher = self.ciphers.get(&self.current_id).ok_or_else(|| anyhow!("current key missing"))?;
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed =
            cipher.encrypt(&nonce, Payload { msg: plaintext, aad }).map_err(|_| anyhow!("encryption failed"))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!("{}.{}", self.current_id, URL_SAFE_NO_PAD.encode(blob)))
    }

    pub fn open(&self, sealed: &str, at: SealedAt<'_>) -> anyhow::Result<Vec<u8>> {
        let (value, aad) = match sealed.strip_prefix(BOUND_PREFIX) {
            Some(value) => (value, at.associated_data()),
            None => (sealed, Vec::new()),
        };
        let (id, body) = value.split_once('.').context("sealed value has no key id")?;
        let cipher = self.ciphers.get(id).with_context(|| format!("no key with id {id} is configured"))?;
        let blob = URL_SAFE_NO_PAD.decode(body).context("sealed value is not base64")?;
        if blob.len() < NONCE_LEN {
            bail!("sealed value is too short");
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad }).map_err(|_| {
            anyhow!(
                "the sealed value in {}.{} failed authentication (wrong key, wrong row or tampered)",
                at.table,
                at.column
            )
        })
    }

    /// A value as sealed before places were bound, for tests of reading old databases.
    #[doc(hidden)]
    pub fn seal_unbound(&self, plaintext: &[u8]) -> anyhow::Result<String> {
        self.seal_with(plaintext, &[])
    }
}

/// Keyed SHA-256 (HMAC) of high-entropy tokens, for lookups by an indexed column.
/// A database dump alone cannot confirm a guessed key without the server secret.
/// Each configured secret gives one lookup key, so tokens hashed before a rotation still match.
pub struct KeyedHasher {
    keys: Vec<[u8; 32]>,
}

impl std::fmt::Debug for KeyedHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedHasher { *** }")
    }
}

type HmacSha256 = hmac::Hmac<Sha256>;

fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    use hmac::Mac;
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

impl KeyedHasher {
    /// `current` first; `previous` keys only match old hashes.
    pub fn new(current: [u8; 32], previous: &[[u8; 32]]) -> Self {
        let derive = |secret: &[u8; 32]| {
            let mut key = [0u8; 32];
            if let Ok(bytes) = hex::decode(hmac_hex(secret, b"keydesk token lookup v1")) {
                key.copy_from_slice(&bytes);
            }
            key
        };
        KeyedHasher { keys: std::iter::once(&current).chain(previous).map(derive).collect() }
    }

    /// The hash to store for a new token.
    pub fn hash(&self, token: &str) -> String {
        hmac_hex(&self.keys[0], token.as_bytes())
    }

    /// Every hash the token may be stored under (current key first).
    pub fn candidates(&self, token: &str) -> Vec<String> {
        self.keys.iter().map(|k| hmac_hex(k, token.as_bytes())).collect()
    }
}

/// Parses a key given as 64 hex digits or as base64 of 32 bytes.
pub fn parse_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let text = text.trim();
    let bytes = hex::decode(text).or_else(|_| STANDARD.decode(text)).context("the key is neither hex nor base64")?;
    bytes.try_into().map_err(|_| anyhow!("the key must be exactly 32 bytes"))
}

/// The configured key, else the key file in the data folder (created on first start,
/// readable only by its owner).
pub fn load_or_create_key(data_dir: &Path, configured: Option<&SecretString>) -> anyhow::Result<[u8; 32]> {
    if let Some(key) = configured {
        return parse_key(key.expose_secret()).context("KEYDESK_SECRET_KEY is invalid");
    }
    let path = data_dir.join(KEY_FILE);
    if path.exists() {
        let text = std::fs::read_to_string(&path).with_context(|| format!("Failed to read {}", path.display()))?;
        return parse_key(&text).with_context(|| format!("{} is invalid", path.display()));
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    write_private_file(&path, &hex::encode(key))?;
    tracing::info!(path = %path.display(), "generated a new secret key for encryption at rest; back it up");
    Ok(key)
}

fn write_private_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("Failed to create {}", path.display()))?;
    file.write_all(contents.as_bytes()).with_context(|| format!("Failed to write {}", path.display()))
}

/// 256 random bits from the OS generator, base64url without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `bytes` random bytes from the OS generator, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// SHA-256 in hex: the lookup key of a high-entropy token (never argon2: the token
/// has 256 bits of entropy, so a slow hash would add cost and no safety).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Equality that takes the same time wherever the inputs differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: SealedAt<'static> = SealedAt { table: "developer_keys", column: "sealed_key", row: "user-1" };

    #[test]
    fn sealed_values_open_with_the_same_key_in_the_same_place() {
        let sb = SecretBox::new([7; 32], &[]);
        let sealed = sb.seal(b"private key", HERE).unwrap();
        assert!(!sealed.contains("private"));
        assert_eq!(sb.open(&sealed, HERE).unwrap(), b"private key");
    }

    #[test]
    fn a_sealed_value_moved_to_another_row_column_or_table_does_not_open() {
        let sb = SecretBox::new([7; 32], &[]);
        let sealed = sb.seal(b"private key", HERE).unwrap();
        for elsewhere in [
            SealedAt { row: "user-2", ..HERE },
            SealedAt { column: "lookup_hash", ..HERE },
            SealedAt { table: "certificates", ..HERE },
        ] {
            assert!(sb.open(&sealed, elsewhere).is_err(), "{elsewhere:?}");
        }
        // Nor does dropping the version make it open as an old, unbound value.
        assert!(sb.open(sealed.strip_prefix(BOUND_PREFIX).unwrap(), HERE).is_err());
    }

    #[test]
    fn values_sealed_before_places_were_bound_still_open() {
        let sb = SecretBox::new([7; 32], &[]);
        let old = sb.seal_unbound(b"token").unwrap();
        assert_eq!(sb.open(&old, HERE).unwrap(), b"token");
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let sb = SecretBox::new([7; 32], &[]);
        assert_ne!(sb.seal(b"x", HERE).unwrap(), sb.seal(b"x", HERE).unwrap());
    }

    #[test]
    fn a_rotated_key_still_opens_old_values() {
        let old = SecretBox::new([1; 32], &[]);
        let sealed = old.seal(b"token", HERE).unwrap();
        let rotated = SecretBox::new([2; 32], &[[1; 32]]);
        assert_eq!(rotated.open(&sealed, HERE).unwrap(), b"token");
        assert!(rotated.seal(b"t", HERE).unwrap().starts_with(&format!("{BOUND_PREFIX}{}", key_id(&[2; 32]))));
    }

    #[test]
    fn tampered_or_foreign_values_are_refused() {
        let sb = SecretBox::new([7; 32], &[]);
        let sealed = sb.seal(b"secret", HERE).unwrap();
        let mut tampered = sealed.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(sb.open(&tampered, HERE).is_err());
        assert!(SecretBox::new([8; 32], &[]).open(&sealed, HERE).is_err());
        assert!(sb.open("garbage", HERE).is_err());
    }

    #[test]
    fn keyed_hashes_depend_on_the_secret_and_survive_a_rotation() {
        let old = KeyedHasher::new([1; 32], &[]);
        let rotated = KeyedHasher::new([2; 32], &[[1; 32]]);
        assert_eq!(old.hash("token"), old.hash("token"));
        assert_ne!(old.hash("token"), rotated.hash("token"));
        assert!(rotated.candidates("token").contains(&old.hash("token")));
        assert_ne!(old.hash("token"), token_hash("token"));
    }

    #[test]
    fn keys_parse_from_hex_or_base64_and_must_be_32_bytes() {
        assert_eq!(parse_key(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        assert_eq!(parse_key(&STANDARD.encode([5u8; 32])).unwrap(), [5; 32]);
        assert!(parse_key("abcd").is_err());
    }

    #[test]
    fn the_generated_key_file_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_key(dir.path(), None).unwrap();
        let second = load_or_create_key(dir.path(), None).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
