//! Which token scope each operation needs. The handler's OpenAPI annotation is the one place it
//! is declared (`security(("access_token" = ["certificates:read"]))`); this table is read from the
//! generated document at start, so the document, the matrix test and the check cannot disagree.
//! An operation whose annotation names no `access_token` scope refuses every token.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use anyhow::Context;
use shared::v1::Scope;

/// The security scheme's name in the OpenAPI document.
pub const ACCESS_TOKEN_SCHEME: &str = "access_token";

/// What an access token may do on one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteAccess {
    /// The operation asks for no credentials (sign-in, health): a token there is ignored.
    Public,
    /// Credentials are needed, but no token scope reaches this far.
    NoToken,
    Token(Scope),
    /// No documented operation has this method and path.
    Unknown,
}

pub struct RouteScopes {
    /// Paths without parameters first, so `/passkeys/registration` is not read as `/passkeys/{id}`.
    routes: Vec<(String, ResourceDef, RouteAccess)>,
}

impl RouteScopes {
    /// Reads every operation's security requirements; an unknown scope is an error at start.
    pub fn from_document(document: &serde_json::Value) -> anyhow::Result<Self> {
        let mut routes = Vec::new();
        let paths = document["paths"].as_object().context("the OpenAPI document has no paths")?;
        for (path, operations) in paths {
            for (method, operation) in operations.as_object().into_iter().flatten() {
                let requirements: Vec<&serde_json::Value> =
                    operation["security"].as_array().into_iter().flatten().collect();
                let mut access = if requirements.is_empty() { RouteAccess::Public } else { RouteAccess::NoToken };
                for scope in requirements.iter().filter_map(|r| r[ACCESS_TOKEN_SCHEME].as_array()).flatten() {
                    let text = scope.as_str().unwrap_or_default();
                    let scope = Scope::parse(text).with_context(|| format!("{method} {path}: no scope {text:?}"))?;
                    access = RouteAccess::Token(scope);
                }
                routes.push((method.to_ascii_uppercase(), ResourceDef::new(path.as_str()), access));
            }
        }
        routes.sort_by_key(|(_, def, _)| def.pattern().is_some_and(|p| p.contains('{')));
        Ok(RouteScopes { routes })
    }

    /// What a token may do on `method` `path` (a request's own path, not a template).
    pub fn access(&self, method: &Method, path: &str) -> RouteAccess {
        self.routes
            .iter()
            .find(|(m, def, _)| m == method.as_str() && def.is_match(path))
            .map_or(RouteAccess::Unknown, |(_, _, access)| *access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_each_operations_requirement() {
        let document = serde_json::json!({"paths": {
            "/api/v1/certificates/{id}": {
                "delete": {"security": [{"session_cookie": []}, {"access_token": ["certificates:write"]}]},
                "get": {"security": [{"session_cookie": []}]}},
            "/api/v1/certificates/export": {"get": {"security": [{"access_token": ["certificates:read"]}]}},
            "/healthz": {"get": {}}}});
        let table = RouteScopes::from_document(&document).unwrap();
        let write = Scope::parse("certificates:write").unwrap();
        assert_eq!(table.access(&Method::DELETE, "/api/v1/certificates/abc"), RouteAccess::Token(write));
        assert_eq!(table.access(&Method::GET, "/api/v1/certificates/abc"), RouteAccess::NoToken);
        let read = Scope::parse("certificates:read").unwrap();
        assert_eq!(table.access(&Method::GET, "/api/v1/certificates/export"), RouteAccess::Token(read));
        assert_eq!(table.access(&Method::DELETE, "/api/v1/certificates"), RouteAccess::Unknown);
        assert_eq!(table.access(&Method::GET, "/api/v1/certificates/abc/more"), RouteAccess::Unknown);
        assert_eq!(table.access(&Method::GET, "/healthz"), RouteAccess::Public);
    }

    #[test]
    fn a_misspelt_scope_stops_the_start() {
        let document = serde_json::json!({"paths": {"/x": {"get": {"security": [{"access_token": ["certs:read"]}]}}}});
        assert!(RouteScopes::from_document(&document).is_err());
    }

    #[test]
    fn the_real_document_names_scopes_and_keeps_tokens_off_credentials() {
        let document = crate::openapi::document();
        let table = RouteScopes::from_document(document).unwrap();
        assert!(matches!(table.access(&Method::GET, "/api/v1/certificates"), RouteAccess::Token(_)));
        assert_eq!(table.access(&Method::POST, "/api/v1/me/tokens"), RouteAccess::NoToken, "tokens never make tokens");
        assert_eq!(table.access(&Method::POST, "/api/v1/me/passkeys/registration"), RouteAccess::NoToken);
        assert_eq!(table.access(&Method::POST, "/api/v1/session"), RouteAccess::Public);
    }
}
