//! The authorization matrix: every operation in the OpenAPI document (the route table the handlers'
//! annotations generate), against anonymous, a standard user, an admin, and another account's admin.
//! A new endpoint is covered as soon as it is documented; one whose path this file cannot fill fails.

use crate::access_tokens::with_token;
use crate::admin_cli::keydesk;
use crate::helpers::{spawn_app_with, TestApp, PASSWORD};
use crate::mtls::TestCa;
use crate::oauth_tokens::{connected, enable_stripe, OPERATOR_TOKEN};
use crate::stripe_peer::StripeStandIn;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Anyone may call these; they answer without a session (their own checks aside).
const PUBLIC: [&str; 15] = [
    "GET /healthz",
    "GET /api/openapi.json",
    "POST /api/auth",
    "POST /api/v1/accounts",
    "POST /api/v1/session",
    "POST /api/v1/session/two-factor",
    "POST /api/v1/session/two-factor/resend",
    "POST /api/v1/session/passkey-options",
    "POST /api/v1/password-reset",
    "POST /api/v1/session/passkey",
    "POST /api/v1/session/two-factor/passkey-options",
    "POST /api/v1/session/two-factor/passkey",
    "GET /api/v1/oauth/stripe/callback",
    "POST /api/v1/password",
    "POST /api/v1/email-verification",
];

/// Standard users get 403 here.
const ADMIN_ONLY: [&str; 15] = [
    "GET /api/v1/tokens",
    "DELETE /api/v1/tokens/{id}",
    "PUT /api/v1/account/token-policy",
    "POST /api/v1/integrations",
    "PUT /api/v1/integrations/{id}",
    "DELETE /api/v1/integrations/{id}",
    "GET /api/v1/users",
    "POST /api/v1/users",
    "PATCH /api/v1/users/{id}",
    "DELETE /api/v1/users/{id}",
    "POST /api/v1/users/{id}/password-reset",
    "GET /api/v1/users/{id}/sessions",
    "DELETE /api/v1/users/{id}/sessions",
    "PUT /api/v1/account",
    "GET /api/v1/security-events",
];

/// Only the operator token opens these; no user's credentials do.
const OPERATOR_ONLY: [&str; 1] = ["PUT /api/operator/accounts/{id}/stripe"];

/// One object of each kind in Ann's account, for the paths' `{id}`.
async fn objects_of(ann: &TestApp, account_id: &str, sam_id: &str) -> BTreeMap<&'static str, String> {
    let id = |v: Value| v["id"].as_str().unwrap().to_string();
    let ca = TestCa::new();
    let certificate =
        ann.post("/api/v1/certificates", json!({"domain": "api.example.com", "pem": ca.client_pem("Ann")})).await;
    let library = ann.post("/api/v1/js-libraries", json!({"name": "Utils", "code": "var a = 1;"})).await;
    let application = id(ann.post("/api/v1/applications", json!({"name": "IVR"})).await.json().await.unwrap());
    let deployment =
        ann.post("/api/v1/deployments", json!({"application_id": application, "label": "Production"})).await;
    let integration = ann
        .post(
            "/api/v1/integrations",
            json!({"name": "Hooks", "type": "rest", "config": {
            "base_url": "https://hooks.example.com", "auth_header_name": "X-Key", "auth_header_value": "secret"}}),
        )
        .await;
    let token = crate::access_tokens::created(
        ann,
        json!({"name": "Matrix", "scopes": {"profile": "read"}, "expires_in_days": 7}),
    )
    .await;
    BTreeMap::from([
        ("/api/v1/tokens/", id(token)),
        ("/api/v1/me/tokens/", "not-a-token".into()),
        ("/api/v1/certificates/", id(certificate.json().await.unwrap())),
        ("/api/v1/js-libraries/", id(library.json().await.unwrap())),
        ("/api/v1/applications/", application),
        ("/api/v1/deployments/", id(deployment.json().await.unwrap())),
        ("/api/v1/integrations/", id(integration.json().await.unwrap())),
        ("/api/v1/oauth-tokens/", connected(ann, "test", "Payments").await),
        ("/api/v1/me/devices/", "not-a-device".into()),
        ("/api/v1/me/api-credentials/", "not-a-credential".into()),
        ("/api/v1/me/sessions/", "not-a-session".into()),
        ("/api/v1/me/passkeys/", "not-a-passkey".into()),
        ("/api/operator/accounts/", account_id.to_string()),
        ("/api/v1/users/", sam_id.to_string()),
    ])
}

fn fill(path: &str, objects: &BTreeMap<&'static str, String>) -> String {
    if !path.contains('{') {
        return path.to_string();
    }
    let (prefix, id) = objects
        .iter()
        .find(|(prefix, _)| path.starts_with(*prefix))
        .unwrap_or_else(|| panic!("{path}: add an object for it to the authorization matrix"));
    let rest = &path[path.find('}').unwrap() + 1..];
    format!("{prefix}{id}{rest}")
}

/// Each documented operation as `METHOD path`, with sign-out last so the session lasts to the end.
async fn operations(app: &TestApp) -> Vec<(Method, String)> {
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut all: Vec<(Method, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (Method::from_bytes(m.to_uppercase().as_bytes()).unwrap(), path.clone()))
        })
        .collect();
    all.sort_by_key(|(method, path)| (*method == Method::DELETE && path == "/api/v1/session", path.clone()));
    all
}

/// A well-formed body where the operation has one, so each answer is about who asks, not what they send.
fn body_for(key: &str) -> Option<Value> {
    let integration = json!({"name": "Hooks 2", "type": "rest", "config": {"base_url": "https://hooks.example.com",
        "auth_header_name": "X-Key", "auth_header_value": "secret"}});
    Some(match key {
        "PUT /api/v1/applications/{id}" => json!({"name": "IVR"}),
        "PUT /api/v1/deployments/{id}" => json!({"label": "Production"}),
        "PUT /api/v1/js-libraries/{id}" => json!({"name": "Utils", "code": "var a = 2;"}),
        "POST /api/v1/integrations" | "PUT /api/v1/integrations/{id}" => integration,
        "POST /api/v1/users" => json!({"first_name": "New", "last_name": "User", "email": "new@example.com"}),
        "PATCH /api/v1/oauth-tokens/{id}" => json!({"description": "Renamed"}),
        "PATCH /api/v1/me/passkeys/{id}" => json!({"name": "Laptop"}),
        "PUT /api/operator/accounts/{id}/stripe" => json!({"enabled": true}),
        "PUT /api/v1/account/token-policy" => json!({"max_lifetime_days": 90, "allow_no_expiry": false}),
        "POST /api/v1/me/tokens" => json!({"name": "Script", "scopes": {"profile": "read"}, "expires_in_days": 7}),
        _ if key.starts_with("GET ") || key.starts_with("DELETE ") => return None,
        _ => json!({}),
    })
}

/// Ann (admin) with one object of each kind, Sam (standard) in her account, Bob (admin) in another,
/// someone anonymous, and the documented operations.
struct World {
    _stripe: StripeStandIn,
    ann: TestApp,
    sam: TestApp,
    bob: TestApp,
    anonymous: TestApp,
    objects: BTreeMap<&'static str, String>,
    operations: Vec<(Method, String)>,
    document: Value,
}

async fn world() -> World {
    let stripe = StripeStandIn::start().await;
    let settings = stripe.settings();
    let ann = spawn_app_with(|s| {
        s.stripe = settings;
        s.operator_token = Some(OPERATOR_TOKEN.to_string().into());
    })
    .await;
    let account_id = ann.signed_up("ann@example.com").await["account"]["id"].as_str().unwrap().to_string();
    enable_stripe(&ann, &account_id).await;
    let output = keydesk(&ann)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam", "--account-id", &account_id])
        .args(["--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let sam = ann.other_browser();
    let sam_id = sam.sign_in("sam@example.com", PASSWORD).await.json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bob = ann.other_browser();
    let bob_account = bob.signed_up("bob@example.com").await["account"]["id"].as_str().unwrap().to_string();
    enable_stripe(&bob, &bob_account).await;
    let anonymous = ann.other_browser();
    let objects = objects_of(&ann, &account_id, &sam_id).await;
    let operations = operations(&ann).await;
    assert!(operations.len() >= 40, "the document lists the API ({} operations)", operations.len());
    let document = ann.get("/api/openapi.json").await.json().await.unwrap();
    World { _stripe: stripe, ann, sam, bob, anonymous, objects, operations, document }
}

#[tokio::test]
async fn every_endpoint_answers_each_kind_of_caller_as_it_should() {
    let World { ann, sam, bob, anonymous, objects, operations, .. } = world().await;
    let mut wrong = Vec::new();
    // Bob first, while Ann's objects all exist; Ann last, after the others' deletions.
    for (who, caller) in
        [("another account's admin", &bob), ("anonymous", &anonymous), ("standard user", &sam), ("admin", &ann)]
    {
        for (method, template) in &operations {
            let key = format!("{method} {template}");
            let status = caller.request(method.clone(), &fill(template, &objects), body_for(&key)).await.status();
            let ok = if OPERATOR_ONLY.contains(&key.as_str()) {
                status == StatusCode::UNAUTHORIZED
            } else if PUBLIC.contains(&key.as_str()) {
                status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
            } else if who == "anonymous" {
                status == StatusCode::UNAUTHORIZED
            } else if who == "standard user" && ADMIN_ONLY.contains(&key.as_str()) {
                status == StatusCode::FORBIDDEN
            } else if who == "another account's admin" && template.contains("{id}") {
                status == StatusCode::NOT_FOUND
            } else {
                status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
            };
            if !ok || status.is_server_error() {
                wrong.push(format!("{who}: {key} answered {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "unexpected answers:\n{}", wrong.join("\n"));
}

/// The access-token column: for every operation, the admin's token with exactly the scope the
/// document names for it gets through, and a token with any scope that does not reach as far is
/// refused with 403 `insufficient_scope`; where the document names no scope (credentials, tokens
/// themselves), every token is.
#[tokio::test]
async fn every_operation_takes_exactly_its_scope_from_an_access_token() {
    let World { ann, objects, operations, document, .. } = world().await;
    let mut tokens = Vec::new();
    for resource in shared::v1::TokenResource::ALL {
        for access in [shared::v1::TokenAccess::Read, shared::v1::TokenAccess::Write] {
            let scope = shared::v1::Scope { resource: *resource, access };
            let scopes = json!({ resource.as_str(): access.as_str() });
            tokens.push((scope, crate::access_tokens::token_with(&ann, scopes).await));
        }
    }
    let mut wrong = Vec::new();
    let mut scoped = 0;
    for (method, template) in &operations {
        let key = format!("{method} {template}");
        if PUBLIC.contains(&key.as_str()) || OPERATOR_ONLY.contains(&key.as_str()) {
            continue;
        }
        let needed = document["paths"][template][method.as_str().to_lowercase()]["security"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|r| r["access_token"][0].as_str())
            .map(|s| shared::v1::Scope::parse(s).unwrap_or_else(|| panic!("{key}: unknown scope {s}")));
        let path = fill(template, &objects);
        // The refusals first, while every object still exists.
        for (scope, token) in
            tokens.iter().filter(|(s, _)| needed.is_none_or(|n| s.resource != n.resource || s.access < n.access))
        {
            let response = with_token(&ann, method.clone(), &path, token, body_for(&key)).await;
            let status = response.status();
            let code = response.json::<Value>().await.map(|b| b["code"].clone()).unwrap_or_default();
            if status != StatusCode::FORBIDDEN || code != "insufficient_scope" {
                wrong.push(format!("{scope} token: {key} answered {status} {code}"));
            }
        }
        if let Some(needed) = needed {
            scoped += 1;
            let (_, token) = tokens.iter().find(|(s, _)| *s == needed).unwrap();
            let status = with_token(&ann, method.clone(), &path, token, body_for(&key)).await.status();
            if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN || status.is_server_error() {
                wrong.push(format!("{needed} token: {key} answered {status}"));
            }
        }
    }
    assert!(scoped >= 30, "the document names a scope for the resource operations ({scoped})");
    assert!(wrong.is_empty(), "unexpected answers:\n{}", wrong.join("\n"));
}
