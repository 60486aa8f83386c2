//! The headers every answer carries: the Content-Security-Policy, no framing, no sniffing, no
//! referrer, HSTS over HTTPS, and `no-store` on API answers (some carry secrets: keys, access codes,
//! the TOTP secret, `/api/auth` credentials, CSRF tokens; none is worth caching), the API page's
//! files excepted.

use crate::request::is_https;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    HeaderMap, HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Everything but the script sources, shared by the dashboard and the API page.
const COMMON: &str = "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Swagger UI loads only its own files, but React and its highlighter set inline styles.
const DOCS_POLICY: &str = "script-src 'self'; style-src 'self' 'unsafe-inline'";
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The two policies, fixed at start-up.
pub struct SecurityHeaders {
    dashboard: HeaderValue,
    docs: HeaderValue,
}

impl SecurityHeaders {
    /// The dashboard's scripts are its own files plus Trunk's inline loader in `index.html`, allowed
    /// by its hash; the wasm it loads needs `'wasm-unsafe-eval'` (and nothing else does).
    pub fn new(spa_dir: Option<&Path>) -> anyhow::Result<Self> {
        let index = spa_dir.and_then(|dir| std::fs::read_to_string(dir.join("index.html")).ok()).unwrap_or_default();
        let hashes: String = inline_script_hashes(&index).iter().map(|h| format!(" '{h}'")).collect();
        let dashboard = format!("script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; {COMMON}");
        Ok(SecurityHeaders {
            dashboard: HeaderValue::from_str(&dashboard)?,
            docs: HeaderValue::from_str(&format!("{DOCS_POLICY}; {COMMON}"))?,
        })
    }
}

/// `sha256-…` of each inline `<script>`'s text, as a browser hashes it for the policy.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        if !rest[start..open_end].contains("src=") {
            hashes.push(format!("sha256-{}", STANDARD.encode(Sha256::digest(&rest[open_end..close]))));
        }
        rest = &rest[close..];
    }
    hashes
}

/// The middleware. An error from an inner middleware becomes its response only after this one has
/// run, so it is wrapped in one that adds the headers as it renders.
pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let headers = headers_for(req.request());
    match next.call(req).await {
        Ok(mut response) => {
            apply(&headers, response.headers_mut());
            Ok(response)
        }
        Err(error) => Err(WithHeaders { error, headers }.into()),
    }
}

fn headers_for(request: &HttpRequest) -> Vec<(HeaderName, HeaderValue)> {
    let path = request.path();
    let mut headers = vec![
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ];
    if let Some(policies) = request.app_data::<web::Data<SecurityHeaders>>() {
        let policy = if path.starts_with("/api/docs") { &policies.docs } else { &policies.dashboard };
        headers.push((CONTENT_SECURITY_POLICY, policy.clone()));
    }
    if is_https(request) {
        headers.push((STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS)));
    }
    // Swagger UI's files hold nothing secret and are large: those may be cached.
    if (path.starts_with("/api") && !path.starts_with("/api/docs")) || path == "/healthz" {
        headers.push((CACHE_CONTROL, HeaderValue::from_static("no-store")));
    }
    headers
}

fn apply(headers: &[(HeaderName, HeaderValue)], to: &mut HeaderMap) {
    for (name, value) in headers {
        to.insert(name.clone(), value.clone());
    }
}

/// An error answered with the security headers.
#[derive(Debug)]
struct WithHeaders {
    error: actix_web::Error,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl std::fmt::Display for WithHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl ResponseError for WithHeaders {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.error.error_response();
        apply(&self.headers, response.headers_mut());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_files_are_not() {
        let html = "<head><script src=\"/a.js\"></script></head><body>\n<script type=\"module\">\nimport init from '/k.js';\n</script></body>";
        let expected = STANDARD.encode(Sha256::digest("\nimport init from '/k.js';\n"));
        assert_eq!(inline_script_hashes(html), vec![format!("sha256-{expected}")]);
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }
}
