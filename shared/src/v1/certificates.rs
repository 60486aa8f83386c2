//! Client-side TLS certificates, presented on outbound requests to their domain.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many days before its end a certificate is marked as expiring.
pub const CERTIFICATE_EXPIRING_DAYS: i64 = 30;

/// `POST /api/v1/certificates` as JSON (multipart/form-data with `domain` and `file` is accepted too).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateRequest {
    /// e.g. `api.example.com` or `*.example.com`
    pub domain: String,
    /// The PEM file's text: the certificate (and chain) and its unencrypted private key.
    pub pem: crate::Secret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// Ends within 30 days.
    Expiring,
    Expired,
}

impl CertificateStatus {
    pub fn at(not_after: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if not_after < now {
            CertificateStatus::Expired
        } else if not_after - now <= chrono::Duration::days(CERTIFICATE_EXPIRING_DAYS) {
            CertificateStatus::Expiring
        } else {
            CertificateStatus::Valid
        }
    }
}

/// A stored certificate. The private key is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateResponse {
    pub id: String,
    /// ASCII form (punycode for internationalised names).
    pub domain: String,
    pub subject: String,
    pub issuer: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub not_before: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub not_after: DateTime<Utc>,
    pub status: CertificateStatus,
    /// SHA-256 of the certificate, `AB:CD:...`
    pub fingerprint_sha256: String,
    /// The certificate and its chain, PEM.
    pub certificate_pem: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    /// The name of the user who added it, if that user still exists.
    pub created_by: Option<String>,
}

/// `POST /api/v1/certificates/{id}/test`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateTestRequest {
    /// Default: `https://DOMAIN/` (a wildcard's `*.` removed).
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateTestResponse {
    /// The TLS handshake succeeded and the server answered over HTTP.
    pub ok: bool,
    pub url: String,
    /// The HTTP status the server answered, if it got that far.
    pub status: Option<u16>,
    /// What happened, in plain words.
    pub message: String,
}
