//! The error body every failing API response carries.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name to the problems found with it.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

macro_rules! error_codes {
    ($($variant:ident => $text:literal,)*) => {
        /// Every `code` an error answer can carry. A code this build does not know reads as
        /// `Unknown`, so an older dashboard keeps working when the server gains a code.
        /// (Each text is its name in snake case; a test holds them to it.)
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($variant,)*
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* ErrorCode::Unknown => "unknown" }
            }
        }
    };
}

error_codes! {
    BadRequest => "bad_request",
    ValidationFailed => "validation_failed",
    Unauthorized => "unauthorized",
    InvalidCredentials => "invalid_credentials",
    TokenExpired => "token_expired",
    InsufficientScope => "insufficient_scope",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    PayloadTooLarge => "payload_too_large",
    RequestTimeout => "request_timeout",
    UnsupportedMediaType => "unsupported_media_type",
    RateLimited => "rate_limited",
    ServerBusy => "server_busy",
    DeliveryFailed => "delivery_failed",
    InternalError => "internal_error",
    AdminRequired => "admin_required",
    BrowserSessionRequired => "browser_session_required",
    CsrfTokenInvalid => "csrf_token_invalid",
    ReauthenticationRequired => "reauthentication_required",
    NetworkNotAllowed => "network_not_allowed",
    TwoFactorOff => "two_factor_off",
    SignupDisabled => "signup_disabled",
    EmailTaken => "email_taken",
    LastAdmin => "last_admin",
    TooManyTokens => "too_many_tokens",
    PasskeyExists => "passkey_exists",
    LibraryNameTaken => "library_name_taken",
    LibraryInUse => "library_in_use",
    IntegrationNameTaken => "integration_name_taken",
    CertificateDomainTaken => "certificate_domain_taken",
    StripeNotConfigured => "stripe_not_configured",
    DeauthorizationFailed => "deauthorization_failed",
    PemTooLarge => "pem_too_large",
    PemIsDer => "pem_is_der",
    PemNotPem => "pem_not_pem",
    PemUnreadable => "pem_unreadable",
    PemNoCertificate => "pem_no_certificate",
    PemNoPrivateKey => "pem_no_private_key",
    PemEncryptedKey => "pem_encrypted_key",
    PemSeveralKeys => "pem_several_keys",
    CertificateUnreadable => "certificate_unreadable",
    PrivateKeyUnsupported => "private_key_unsupported",
    PrivateKeyMismatch => "private_key_mismatch",
    CertificateNotYetValid => "certificate_not_yet_valid",
    CertificateExpired => "certificate_expired",
    CertificateNotForClientAuth => "certificate_not_for_client_auth",
    BadUrl => "bad_url",
    DnsFailed => "dns_failed",
    InternalAddress => "internal_address",
    ConnectFailed => "connect_failed",
    TlsHandshakeFailed => "tls_handshake_failed",
    Timeout => "timeout",
    AnswerTooLarge => "answer_too_large",
    RequestFailed => "request_failed",
    AnswerNotOfReturnType => "answer_not_of_return_type",
    AnswerTooDeeplyNested => "answer_too_deeply_nested",
    NetworkError => "network_error",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So a test or a script can say `body.code == "last_admin"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// `{"error": ..., "code": ..., "fields": {...}}` as in the API contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A sentence a person can act on.
    pub error: String,
    /// A stable snake_case machine code.
    pub code: ErrorCode,
    /// Present only for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
}

impl ErrorBody {
    /// The problems reported for one field, empty when there are none.
    pub fn field(&self, name: &str) -> &[String] {
        self.fields.as_ref().and_then(|f| f.get(name)).map(Vec::as_slice).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_their_snake_case_text_and_unknown_ones_survive() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), *code);
        }
        let body: ErrorBody = serde_json::from_str(r#"{"error": "x", "code": "from_a_newer_server"}"#).unwrap();
        assert_eq!(body.code, ErrorCode::Unknown);
    }

    #[test]
    fn every_code_is_written_once() {
        let mut texts: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        texts.sort_unstable();
        let before = texts.len();
        texts.dedup();
        assert_eq!(texts.len(), before);
    }
}
