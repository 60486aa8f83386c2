//! Turning a failed request's error chain into plain words.

use rustls::AlertDescription;
use std::error::Error;

/// The rustls error somewhere in the chain. tokio-rustls wraps it in an `io::Error`, whose `source()`
/// skips the wrapped error itself, so each `io::Error` is opened too.
pub fn tls_error<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&'a (dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
        }
        current = e.source();
    }
    None
}

pub fn describe_tls(error: &rustls::Error) -> String {
    match error {
        rustls::Error::AlertReceived(AlertDescription::CertificateRequired) => {
            "The TLS handshake failed: the server requires a client certificate, and none was presented (the account has no certificate for this host).".into()
        }
        rustls::Error::AlertReceived(
            alert @ (AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateRevoked
            | AlertDescription::AccessDenied
            // A signature in the client's chain did not verify.
            | AlertDescription::DecryptError),
        ) => format!("The TLS handshake failed: the server refused the client certificate (alert: {alert:?})."),
        rustls::Error::AlertReceived(alert) => {
            format!("The TLS handshake failed: the server ended it with the alert {alert:?}.")
        }
        rustls::Error::InvalidCertificate(problem) => {
            format!("The TLS handshake failed: the server's certificate is not trusted ({problem:?}).")
        }
        other => format!("The TLS handshake failed: {other}."),
    }
}

/// The deepest cause's message (the system's, such as "Connection refused"): reqwest's own messages
/// say little and are never shown.
pub fn innermost(error: &(dyn Error + 'static)) -> String {
    let mut deepest = error;
    while let Some(next) = deepest.source() {
        deepest = next;
    }
    match deepest.is::<reqwest::Error>() {
        true => "the connection failed".into(),
        false => deepest.to_string(),
    }
}
