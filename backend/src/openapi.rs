//! The OpenAPI 3 document, generated from the handlers' annotations.

use crate::auth::scopes::ACCESS_TOKEN_SCHEME;
use crate::routes;
use actix_web::HttpResponse;
use serde_json::{json, Value};
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Keydesk API", description = "Accounts, sign-in and credentials. Errors share one shape: \
        {\"error\": \"...\", \"code\": \"...\", \"fields\": {...}}."),
    modifiers(&SecuritySchemes),
    tags((name = "accounts"), (name = "session"), (name = "me"), (name = "developer keys"), (name = "two-factor"), (name = "sessions", description = "Where the caller is signed in"), (name = "passkeys", description = "WebAuthn passkeys: a second factor, and sign-in without a password"), (name = "applications"), (name = "js libraries"), (name = "security log"), (name = "users", description = "Admin options: the account's users and details"), (name = "integrations", description = "Everyone lists; admins add, edit and delete"), (name = "oauth tokens", description = "Stripe Connect tokens (accounts with Stripe enabled)"), (name = "operator", description = "For the operator: Authorization: Bearer KEYDESK_OPERATOR_TOKEN"), (name = "certificates", description = "Client certificates and the outbound REST/SOAP requests that present them"), (name = "api credentials"), (name = "access tokens", description = "Personal access tokens (kdt_…): scoped, expiring, optionally limited to networks"),
        (name = "auth", description = "The original authentication endpoint (form-urlencoded)"), (name = "health"))
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::session::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "csrf_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The csrf_token from sign-in; required on writes authenticated by the session cookie.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A developer key: `Authorization: Bearer kd_...`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            ACCESS_TOKEN_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token: `Authorization: Bearer kdt_...`. An operation lists the one scope \
                         it needs (`resource:read` or `resource:write`; write implies read); one that lists none \
                         refuses tokens (403 `insufficient_scope`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("Email and developer key, or the login and password returned by POST /api/auth"))
                    .build(),
            ),
        );
    }
}

/// The document: what [`ApiDoc`] says of the API as a whole, every operation of the route table,
/// and each operation's security completed from its annotation's short form.
/// Made once: the server reads it at start, and serves it on every request for it.
pub fn document() -> &'static Value {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
        let mut openapi = ApiDoc::openapi();
        openapi.merge(<routes::Operations as OpenApi>::openapi());
        let mut document = serde_json::to_value(openapi).unwrap_or_default();
        complete_security(&mut document);
        document
    });
    &DOCUMENT
}

/// What an operation takes when its annotation names no `security`: a browser session (with the
/// CSRF header on anything but a read), a developer key, or basic auth.
fn signed_in(method: &str) -> Vec<Value> {
    let session = match method {
        "get" => json!({ "session_cookie": [] }),
        _ => json!({ "session_cookie": [], "csrf_token": [] }),
    };
    vec![session, json!({ "bearer": [] }), json!({ "basic": [] })]
}

/// Annotations say only what differs from signing in: nothing (signed in), `security(())` (no
/// credentials), or `security(("access_token" = [scope]))` (signed in, or a token with that scope).
/// Anything else is kept as written. Every operation ends with its requirements spelled out, so
/// readers of the document (and the access check) need not know the default.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn complete_security(document: &mut Value) {
    document["security"] = Value::Array(signed_in("get"));
    let Some(paths) = document["paths"].as_object_mut() else { return };
    let operations = paths.values_mut().filter_map(Value::as_object_mut).flatten();
    // A path item holds its operations under the methods' names, beside shared parts (parameters).
    for (method, operation) in operations.filter(|(key, _)| METHODS.contains(&key.as_str())) {
        let given = operation.get("security").and_then(Value::as_array).cloned();
        let complete = match given.as_deref() {
            None => signed_in(method),
            Some([only]) if only.as_object().is_some_and(|o| o.is_empty()) => vec![],
            Some([only]) if only.as_object().is_some_and(|o| o.len() == 1 && o.contains_key(ACCESS_TOKEN_SCHEME)) => {
                let mut requirements = signed_in(method);
                requirements.push(only.clone());
                requirements
            }
            Some(written) => written.to_vec(),
        };
        operation["security"] = Value::Array(complete);
    }
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

/// The interactive API page at `/api/docs/`, with Swagger UI's files built into the
/// binary (the `vendored` feature), so it works offline.
pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").external_url_unchecked(shared::paths::OPENAPI, document().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_error_code() {
        let document = document();
        let listed = &document["components"]["schemas"]["ErrorCode"]["enum"];
        for code in shared::ErrorCode::ALL {
            assert!(listed.as_array().unwrap().iter().any(|c| c == code.as_str()), "{code} in {listed}");
        }
        assert_eq!(
            document["components"]["schemas"]["ErrorBody"]["properties"]["code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
    }

    #[test]
    fn each_operation_gets_its_requirements_and_shared_path_parts_are_left_alone() {
        let mut document = json!({"paths": {"/x/{id}": {
            "parameters": [{"name": "id", "in": "path"}],
            "get": {},
            "delete": {"security": [{"access_token": ["users:write"]}]},
            "post": {"security": [{}]},
        }}});
        complete_security(&mut document);
        let path = &document["paths"]["/x/{id}"];
        assert_eq!(path["parameters"][0]["name"], "id");
        assert_eq!(path["get"]["security"], json!(signed_in("get")));
        assert_eq!(path["delete"]["security"][0], json!({"session_cookie": [], "csrf_token": []}));
        assert_eq!(path["delete"]["security"][3], json!({"access_token": ["users:write"]}));
        assert_eq!(path["post"]["security"], json!([]));
    }
}
