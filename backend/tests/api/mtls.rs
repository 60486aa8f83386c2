//! A test PKI made with rcgen, and an in-process rustls HTTPS server on loopback that requires client
//! certificates from the test CA and records the subject of each one it accepts.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use x509_parser::prelude::{FromDer, X509Certificate};

pub struct TestCa {
    pub pem: String,
    der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::CommonName, "Keydesk Test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        TestCa { pem: cert.pem(), der: cert.der().clone(), issuer: Issuer::new(params, key) }
    }

    /// A client certificate (with its key) as a user would upload it: one PEM file.
    pub fn client_pem(&self, common_name: &str) -> String {
        let (cert, key) = self.issue(common_name, vec![], ExtendedKeyUsagePurpose::ClientAuth);
        format!("{cert}{key}")
    }

    /// A certificate and its key, PEM, for `names` and `purpose`.
    pub fn issue(&self, common_name: &str, names: Vec<String>, purpose: ExtendedKeyUsagePurpose) -> (String, String) {
        let mut params = CertificateParams::new(names).unwrap();
        params.distinguished_name.push(DnType::CommonName, common_name);
        params.extended_key_usages = vec![purpose];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

pub struct MtlsServer {
    pub port: u16,
    /// The subject of every client certificate the server accepted.
    pub client_subjects: Arc<Mutex<Vec<String>>>,
}

impl MtlsServer {
    /// Serves `https://localhost:PORT/`, answering `{"client": SUBJECT}` to any request.
    pub async fn start(ca: &TestCa) -> MtlsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der.clone()).unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
        let (cert, key) = ca.issue("localhost", vec!["localhost".into()], ExtendedKeyUsagePurpose::ServerAuth);
        let cert = rustls_pemfile::certs(&mut cert.as_bytes()).next().unwrap().unwrap();
        let key = rustls_pemfile::pkcs8_private_keys(&mut key.as_bytes()).next().unwrap().unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![cert],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.secret_pkcs8_der().to_vec())),
            )
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = MtlsServer { port: listener.local_addr().unwrap().port(), client_subjects: Default::default() };
        let subjects = server.client_subjects.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (acceptor, subjects) = (acceptor.clone(), subjects.clone());
                tokio::spawn(async move {
                    // A refused handshake ends here; the client sees the alert.
                    let Ok(mut tls) = acceptor.accept(socket).await else { return };
                    let subject = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|certs| certs.first())
                        .and_then(|der| X509Certificate::from_der(der).ok().map(|(_, c)| c.subject().to_string()))
                        .unwrap_or_default();
                    subjects.lock().unwrap().push(subject.clone());
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let body = serde_json::json!({"client": subject}).to_string();
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(answer.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}/", self.port)
    }
}
