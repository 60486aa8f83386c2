//! An uploaded client certificate: a PEM file with the certificate (and its chain) and the private key.
//! Every way an upload can be unusable has its own [`PemProblem`], so the answer says which it was.

use base64::Engine;
use chrono::{DateTime, Utc};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use rustls_pemfile::Item;
use sha2::{Digest, Sha256};
use shared::ErrorCode;
use x509_parser::prelude::{FromDer, X509Certificate};

pub const PEM_MAX_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PemProblem {
    #[error("The file is larger than 64 KiB; a certificate with its chain and key is far smaller.")]
    TooLarge,
    #[error("This is a binary (DER) file. Upload the PEM form: text starting with -----BEGIN CERTIFICATE-----.")]
    Der,
    #[error("This is not a PEM file: no -----BEGIN ...----- section was found.")]
    NotPem,
    #[error("A PEM section could not be read: {0}.")]
    Unreadable(String),
    #[error("The file holds no certificate. Put the client certificate (-----BEGIN CERTIFICATE-----) in the same file as its key.")]
    NoCertificate,
    #[error("The file holds no private key. Add the certificate's key (PKCS#8, PKCS#1 or SEC1) to the file.")]
    NoPrivateKey,
    #[error("The private key is encrypted with a passphrase. Remove the passphrase (e.g. openssl pkey -in key.pem -out plain.pem) and upload again.")]
    EncryptedKey,
    #[error("The file holds more than one private key; keep only the certificate's.")]
    SeveralKeys,
    #[error("The certificate could not be read: {0}.")]
    BadCertificate(String),
    #[error("The private key's type is not supported (use RSA, ECDSA P-256/P-384 or Ed25519).")]
    UnsupportedKey,
    #[error("The private key does not belong to the certificate (the first certificate in the file).")]
    KeyMismatch,
    #[error("The certificate is not valid before {0}.")]
    NotYetValid(String),
    #[error("The certificate expired on {0}.")]
    Expired(String),
    #[error("The certificate may not be used for client authentication (its extended key usage excludes it).")]
    NotForClientAuth,
}

impl PemProblem {
    /// The machine code for the error body.
    pub fn code(&self) -> ErrorCode {
        match self {
            PemProblem::TooLarge => ErrorCode::PemTooLarge,
            PemProblem::Der => ErrorCode::PemIsDer,
            PemProblem::NotPem => ErrorCode::PemNotPem,
            PemProblem::Unreadable(_) => ErrorCode::PemUnreadable,
            PemProblem::NoCertificate => ErrorCode::PemNoCertificate,
            PemProblem::NoPrivateKey => ErrorCode::PemNoPrivateKey,
            PemProblem::EncryptedKey => ErrorCode::PemEncryptedKey,
            PemProblem::SeveralKeys => ErrorCode::PemSeveralKeys,
            PemProblem::BadCertificate(_) => ErrorCode::CertificateUnreadable,
            PemProblem::UnsupportedKey => ErrorCode::PrivateKeyUnsupported,
            PemProblem::KeyMismatch => ErrorCode::PrivateKeyMismatch,
            PemProblem::NotYetValid(_) => ErrorCode::CertificateNotYetValid,
            PemProblem::Expired(_) => ErrorCode::CertificateExpired,
            PemProblem::NotForClientAuth => ErrorCode::CertificateNotForClientAuth,
        }
    }
}

/// A checked upload: the key matches the first certificate, which is valid now and fit for client auth.
pub struct ClientCertificate {
    /// The certificates, leaf first, as PEM. Public: it is returned by the API.
    pub chain_pem: String,
    /// The private key as PEM. Secret: sealed before it is stored.
    pub key_pem: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the leaf certificate, as `AB:CD:...`.
    pub fingerprint_sha256: String,
}

impl ClientCertificate {
    pub fn parse(file: &[u8], now: DateTime<Utc>) -> Result<Self, PemProblem> {
        if file.len() > PEM_MAX_BYTES {
            return Err(PemProblem::TooLarge);
        }
        // DER certificates and keys start with an ASN.1 SEQUENCE and are not text.
        if file.first() == Some(&0x30) && std::str::from_utf8(file).is_err() {
            return Err(PemProblem::Der);
        }
        let text = String::from_utf8_lossy(file);
        if !text.contains("-----BEGIN ") {
            return Err(PemProblem::NotPem);
        }
        // rustls-pemfile skips sections it does not know, so encrypted keys are looked for first.
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(PemProblem::EncryptedKey);
        }
        let (certs, key) = read_sections(file)?;
        let leaf = certs.first().ok_or(PemProblem::NoCertificate)?;
        let key = key.ok_or(PemProblem::NoPrivateKey)?;
        let (_, parsed) = X509Certificate::from_der(leaf).map_err(|e| PemProblem::BadCertificate(e.to_string()))?;
        check_key_matches(&certs, &key)?;
        let (not_before, not_after) = validity(&parsed)?;
        if now < not_before {
            return Err(PemProblem::NotYetValid(not_before.format("%Y-%m-%d %H:%M UTC").to_string()));
        }
        if now > not_after {
            return Err(PemProblem::Expired(not_after.format("%Y-%m-%d %H:%M UTC").to_string()));
        }
        if !fit_for_client_auth(&parsed)? {
            return Err(PemProblem::NotForClientAuth);
        }
        Ok(ClientCertificate {
            chain_pem: certs.iter().map(|c| pem_block("CERTIFICATE", c)).collect(),
            key_pem: key_pem(&key),
            subject: parsed.subject().to_string(),
            issuer: parsed.issuer().to_string(),
            not_before,
            not_after,
            fingerprint_sha256: fingerprint(leaf),
        })
    }
}

fn read_sections(file: &[u8]) -> Result<(Vec<CertificateDer<'static>>, Option<PrivateKeyDer<'static>>), PemProblem> {
    let mut reader = std::io::Cursor::new(file);
    let (mut certs, mut key) = (Vec::new(), None);
    loop {
        let item = rustls_pemfile::read_one(&mut reader).map_err(|e| PemProblem::Unreadable(e.to_string()))?;
        let found_key = match item {
            None => break,
            Some(Item::X509Certificate(cert)) => {
                certs.push(cert);
                None
            }
            Some(Item::Pkcs8Key(k)) => Some(PrivateKeyDer::Pkcs8(k)),
            Some(Item::Pkcs1Key(k)) => Some(PrivateKeyDer::Pkcs1(k)),
            Some(Item::Sec1Key(k)) => Some(PrivateKeyDer::Sec1(k)),
            Some(_) => None,
        };
        if let Some(found) = found_key {
            if key.replace(found).is_some() {
                return Err(PemProblem::SeveralKeys);
            }
        }
    }
    Ok((certs, key))
}

fn check_key_matches(certs: &[CertificateDer<'static>], key: &PrivateKeyDer<'static>) -> Result<(), PemProblem> {
    let signing_key = rustls::crypto::ring::sign::any_supported_type(key).map_err(|_| PemProblem::UnsupportedKey)?;
    match CertifiedKey::new(certs.to_vec(), signing_key).keys_match() {
        Ok(()) => Ok(()),
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => Err(PemProblem::UnsupportedKey),
        Err(_) => Err(PemProblem::KeyMismatch),
    }
}

fn validity(cert: &X509Certificate<'_>) -> Result<(DateTime<Utc>, DateTime<Utc>), PemProblem> {
    let at = |t: x509_parser::time::ASN1Time| {
        DateTime::from_timestamp(t.timestamp(), 0)
            .ok_or_else(|| PemProblem::BadCertificate("a date is out of range".into()))
    };
    Ok((at(cert.validity().not_before)?, at(cert.validity().not_after)?))
}

/// No extended key usage means any use; otherwise it must list client auth (or any).
/// A key usage extension, when present, must allow digital signatures.
fn fit_for_client_auth(cert: &X509Certificate<'_>) -> Result<bool, PemProblem> {
    let bad = |e: x509_parser::error::X509Error| PemProblem::BadCertificate(e.to_string());
    let eku_ok = match cert.extended_key_usage().map_err(bad)? {
        None => true,
        Some(eku) => eku.value.client_auth || eku.value.any,
    };
    let ku_ok = match cert.key_usage().map_err(bad)? {
        None => true,
        Some(ku) => ku.value.digital_signature(),
    };
    Ok(eku_ok && ku_ok)
}

fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn key_pem(key: &PrivateKeyDer<'_>) -> String {
    match key {
        PrivateKeyDer::Pkcs1(k) => pem_block("RSA PRIVATE KEY", k.secret_pkcs1_der()),
        PrivateKeyDer::Sec1(k) => pem_block("EC PRIVATE KEY", k.secret_sec1_der()),
        PrivateKeyDer::Pkcs8(k) => pem_block("PRIVATE KEY", k.secret_pkcs8_der()),
        // Non-exhaustive upstream; read_sections only yields the three above.
        _ => String::new(),
    }
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair};

    fn cert(purposes: Vec<ExtendedKeyUsagePurpose>) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["client.example".into()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "client.example");
        params.extended_key_usages = purposes;
        (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
    }

    fn problem(file: &[u8]) -> PemProblem {
        ClientCertificate::parse(file, Utc::now()).err().expect("the file should be refused")
    }

    #[test]
    fn a_certificate_with_its_key_is_read_with_its_details() {
        let (cert, key) = cert(vec![ExtendedKeyUsagePurpose::ClientAuth]);
        let parsed = ClientCertificate::parse(format!("{cert}{key}").as_bytes(), Utc::now()).unwrap();
        assert_eq!(parsed.subject, "CN=client.example");
        assert_eq!(parsed.fingerprint_sha256.len(), 32 * 3 - 1);
        assert!(parsed.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(!parsed.chain_pem.contains("PRIVATE"));
        // The key first is as good.
        assert!(ClientCertificate::parse(format!("{key}{cert}").as_bytes(), Utc::now()).is_ok());
    }

    #[test]
    fn each_unusable_upload_has_its_own_problem() {
        let (cert, key) = cert(vec![ExtendedKeyUsagePurpose::ClientAuth]);
        let (other_cert, _) = self::cert(vec![]);
        let (server_only, server_key) = self::cert(vec![ExtendedKeyUsagePurpose::ServerAuth]);
        assert_eq!(problem(cert.as_bytes()), PemProblem::NoPrivateKey);
        assert_eq!(problem(key.as_bytes()), PemProblem::NoCertificate);
        assert_eq!(problem(b"hello, world"), PemProblem::NotPem);
        assert_eq!(problem(&[0x30, 0x82, 0x01, 0xff, 0x30, 0xa0]), PemProblem::Der);
        assert_eq!(problem(&vec![b'a'; PEM_MAX_BYTES + 1]), PemProblem::TooLarge);
        assert_eq!(problem(format!("{other_cert}{key}").as_bytes()), PemProblem::KeyMismatch);
        assert_eq!(problem(format!("{server_only}{server_key}").as_bytes()), PemProblem::NotForClientAuth);
        assert_eq!(problem(format!("{cert}{key}{key}").as_bytes()), PemProblem::SeveralKeys);
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(problem(format!("{cert}{encrypted}").as_bytes()), PemProblem::EncryptedKey);
        let later = Utc::now() + chrono::Duration::days(365 * 5000);
        assert!(matches!(
            ClientCertificate::parse(format!("{cert}{key}").as_bytes(), later),
            Err(PemProblem::Expired(_))
        ));
    }

    /// A client certificate for `key_pem` (PKCS#8), with the key re-encoded as the test needs it.
    fn cert_for(key_pem: &str) -> String {
        let key = KeyPair::from_pem(key_pem).unwrap();
        let mut params = CertificateParams::new(vec!["client.example".into()]).unwrap();
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn sec1_ec_keys_are_accepted() {
        use p256::pkcs8::{DecodePrivateKey, LineEnding};
        let pkcs8 = KeyPair::generate().unwrap().serialize_pem();
        let sec1 = p256::SecretKey::from_pkcs8_pem(&pkcs8).unwrap().to_sec1_pem(LineEnding::LF).unwrap();
        assert!(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----"));
        let parsed = ClientCertificate::parse(format!("{}{}", cert_for(&pkcs8), *sec1).as_bytes(), Utc::now()).unwrap();
        assert!(parsed.key_pem.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    }

    #[test]
    fn pkcs1_rsa_keys_are_accepted() {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::pkcs8::{EncodePrivateKey, LineEnding};
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let pkcs8 = key.to_pkcs8_pem(LineEnding::LF).unwrap();
        let pkcs1 = key.to_pkcs1_pem(LineEnding::LF).unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let parsed =
            ClientCertificate::parse(format!("{}{}", cert_for(&pkcs8), *pkcs1).as_bytes(), Utc::now()).unwrap();
        assert!(parsed.key_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the bytes, the parser answers: a certificate or a problem, never a panic.
        #[test]
        fn any_bytes_get_an_answer(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            if let Ok(parsed) = ClientCertificate::parse(&bytes, Utc::now()) {
                proptest::prop_assert!(parsed.chain_pem.contains("CERTIFICATE"));
            }
        }

        /// Damage anywhere in a good file (a byte changed, the end cut off) still gets an answer.
        #[test]
        fn damaged_files_get_an_answer(at in 0usize..4096, byte in proptest::prelude::any::<u8>(), cut in 0usize..4096) {
            let (cert, key) = fixed_pair();
            let mut file = format!("{cert}{key}").into_bytes();
            let at = at % file.len();
            file[at] = byte;
            file.truncate(cut.max(1).min(file.len()));
            if let Ok(parsed) = ClientCertificate::parse(&file, Utc::now()) {
                proptest::prop_assert!(parsed.key_pem.contains("PRIVATE KEY"));
            }
        }
    }

    fn fixed_pair() -> &'static (String, String) {
        static PAIR: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
        PAIR.get_or_init(|| cert(vec![ExtendedKeyUsagePurpose::ClientAuth]))
    }
}
