//! Personal access tokens, tried as an attacker holding one would: beyond its scopes, after its
//! expiry, from another network, after revocation, demotion or deactivation, and against the
//! credentials no token may touch.

use crate::admin_cli::keydesk;
use crate::helpers::{
    error_body, settled, spawn_app, spawn_app_mailing_to, spawn_app_with, spawn_instance_of, TestApp, PASSWORD,
};
use crate::peers::SmtpServer;
use diesel::prelude::*;
use keydesk::clock::Clock;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// A request carrying only the token (no cookies), as a script sends it.
pub async fn with_token(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Response {
    let mut request = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Creates a token through `app`'s session; the whole 201 answer.
pub async fn created(app: &TestApp, body: Value) -> Value {
    let response = app.post("/api/v1/me/tokens", body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

pub async fn token_with(app: &TestApp, scopes: Value) -> String {
    let body = created(app, json!({"name": "Script", "scopes": scopes, "expires_in_days": 30})).await;
    body["token"].as_str().unwrap().to_string()
}

/// A user added to `account_id` by the operator, signed in.
async fn member(app: &TestApp, account_id: &str, email: &str, role: &str) -> (TestApp, String) {
    let output = keydesk(app)
        .args(["admin", "create-user", "--email", email, "--name", "Sam Member", "--account-id", account_id])
        .args(["--role", role])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let browser = app.other_browser();
    let user: Value = browser.sign_in(email, PASSWORD).await.json().await.unwrap();
    let id = user["user"]["id"].as_str().unwrap().to_string();
    (browser, id)
}

fn kinds(page: &Value) -> Vec<String> {
    page["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_token_is_shown_once_and_stored_only_as_a_keyed_hash() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let body = created(
        &app,
        json!({"name": "Deploy", "scopes": {"certificates": "read"}, "expires_in_days": 30,
            "allowed_networks": ["127.0.0.0/8"]}),
    )
    .await;
    let token = body["token"].as_str().unwrap();
    assert!(token.starts_with("kdt_"), "{token}");
    shared::key_format::ACCESS_TOKEN.check(token).unwrap();
    assert_eq!(body["name"], "Deploy");
    assert_eq!(body["scopes"], json!({"certificates": "read"}));
    assert_eq!(body["allowed_networks"], json!(["127.0.0.0/8"]));
    assert!(body["expires_at"].is_string());
    assert!(body["hint"].as_str().unwrap().starts_with("kdt_…"));

    let listed = app.get("/api/v1/me/tokens").await.text().await.unwrap();
    assert!(!listed.contains(token), "the list never shows the token");
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], body["id"]);
    assert!(listed[0]["last_used_at"].is_null());

    use keydesk::db::schema::access_tokens::dsl as t;
    let stored = app.stored_bytes(|conn| {
        t::access_tokens
            .select((t::lookup_hash, t::hint, t::scopes, t::name))
            .load::<(String, String, String, String)>(conn)
            .unwrap()
            .into_iter()
            .flat_map(|(a, b, c, d)| [a, b, c, d])
            .collect()
    });
    let secret_part = &token["kdt_".len()..];
    assert!(!String::from_utf8_lossy(&stored).contains(secret_part), "the token is not stored in the clear");

    // Its first use shows in the list, with the address.
    let used = with_token(&app, Method::GET, "/api/v1/certificates", token, None).await;
    assert_eq!(used.status(), StatusCode::OK);
    let listed: Value = app.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert!(listed[0]["last_used_at"].is_string());
    assert_eq!(listed[0]["last_used_ip"], "127.0.0.1");
}

#[tokio::test]
async fn a_request_beyond_the_tokens_scopes_is_refused_naming_the_scope_needed() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let token = token_with(&app, json!({"certificates": "read"})).await;
    assert_eq!(with_token(&app, Method::GET, "/api/v1/certificates", &token, None).await.status(), StatusCode::OK);

    let upload = json!({"domain": "api.example.com", "pem": "x"});
    let refused = with_token(&app, Method::POST, "/api/v1/certificates", &token, Some(upload)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let challenge = refused.headers()["www-authenticate"].to_str().unwrap().to_string();
    assert!(challenge.contains(r#"error="insufficient_scope""#) && challenge.contains("certificates:write"));
    let error = error_body(refused).await;
    assert_eq!(error.code, "insufficient_scope");
    assert!(error.error.contains("certificates:write"), "{}", error.error);

    for path in ["/api/v1/js-libraries", "/api/v1/integrations", "/api/v1/me", "/api/v1/me/security-events"] {
        let response = with_token(&app, Method::GET, path, &token, None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_body(response).await.code, "insufficient_scope");
    }
    // Write implies read.
    let writer = token_with(&app, json!({"js_libraries": "write"})).await;
    assert_eq!(with_token(&app, Method::GET, "/api/v1/js-libraries", &writer, None).await.status(), StatusCode::OK);
    let library = json!({"name": "Utils", "code": "var a = 1;"});
    let made = with_token(&app, Method::POST, "/api/v1/js-libraries", &writer, Some(library)).await;
    assert_eq!(made.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn no_token_can_touch_credentials_even_with_every_scope() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let every: serde_json::Map<String, Value> =
        shared::v1::TokenResource::ALL.iter().map(|r| (r.as_str().to_string(), json!("write"))).collect();
    let token = token_with(&app, Value::Object(every)).await;
    let attempts = [
        (
            Method::POST,
            "/api/v1/me/tokens",
            Some(json!({"name": "More", "scopes": {"users": "write"}, "expires_in_days": 366})),
        ),
        (Method::GET, "/api/v1/me/tokens", None),
        (Method::GET, "/api/v1/tokens", None),
        (Method::PUT, "/api/v1/account/token-policy", Some(json!({"max_lifetime_days": 366, "allow_no_expiry": true}))),
        (Method::POST, "/api/v1/me/developer-key", Some(json!({"password": PASSWORD}))),
        (Method::POST, "/api/v1/me/developer-key/reveal", Some(json!({"password": PASSWORD}))),
        (
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "An0ther-secret!",
            "new_password_confirmation": "An0ther-secret!"})),
        ),
        (Method::DELETE, "/api/v1/me/two-factor", Some(json!({"password": PASSWORD}))),
        (Method::DELETE, "/api/v1/me/sessions", None),
        (Method::GET, "/api/v1/me/passkeys", None),
        (Method::GET, "/api/v1/me/api-credentials", None),
    ];
    for (method, path, body) in attempts {
        let response = with_token(&app, method.clone(), path, &token, body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(error_body(response).await.code, "insufficient_scope", "{method} {path}");
    }
    // The password still works.
    let signed_in = app.other_browser().sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_stolen_session_cannot_mint_a_token_without_the_password() {
    let app = spawn_app().await;
    let user = app.signed_up("ann@example.com").await;
    // The session's last password check was an hour ago.
    use keydesk::db::schema::sessions::dsl as s;
    let an_hour_ago = chrono::Utc::now().naive_utc() - chrono::TimeDelta::hours(1);
    diesel::update(s::sessions.filter(s::user_id.eq(user["id"].as_str().unwrap())))
        .set(s::password_checked_at.eq(an_hour_ago))
        .execute(&mut app.db())
        .unwrap();
    let body = json!({"name": "Persist", "scopes": {"users": "write"}, "expires_in_days": 366});
    let refused = app.post("/api/v1/me/tokens", body.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(refused).await.code, "reauthentication_required");
    let mut wrong = body.clone();
    wrong["password"] = json!("not-my-password");
    assert_eq!(app.post("/api/v1/me/tokens", wrong).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut right = body;
    right["password"] = json!(PASSWORD);
    assert_eq!(app.post("/api/v1/me/tokens", right).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_expired_token_is_refused_with_token_expired() {
    let clock = Clock::default();
    let app = spawn_app_with({
        let clock = clock.clone();
        move |s| s.clock = clock
    })
    .await;
    app.signed_up("ann@example.com").await;
    let body = created(&app, json!({"name": "Short", "scopes": {"profile": "read"}, "expires_in_days": 1})).await;
    let token = body["token"].as_str().unwrap();
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", token, None).await.status(), StatusCode::OK);

    clock.advance(chrono::TimeDelta::hours(23));
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", token, None).await.status(), StatusCode::OK);
    clock.advance(chrono::TimeDelta::hours(2));
    let refused = with_token(&app, Method::GET, "/api/v1/me", token, None).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));
    assert_eq!(error_body(refused).await.code, "token_expired");
    let listed: Value = app.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(listed[0]["expired"], true);
}

#[tokio::test]
async fn the_owner_is_emailed_once_a_week_before_expiry_and_the_expiry_is_logged() {
    let smtp = SmtpServer::start().await;
    let clock = Clock::default();
    let port = smtp.port;
    let app = spawn_app_with({
        let clock = clock.clone();
        move |s| {
            s.clock = clock;
            s.purge_interval = std::time::Duration::from_millis(100);
            s.mail.smtp_host = Some("127.0.0.1".into());
            s.mail.smtp_port = port;
            s.mail.smtp_tls = "none".into();
        }
    })
    .await;
    app.signed_up("ann@example.com").await;
    created(&app, json!({"name": "Nightly backup", "scopes": {"profile": "read"}, "expires_in_days": 30})).await;

    clock.advance(chrono::TimeDelta::days(22));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(smtp.matching("ann@example.com", "expires in 7 days").is_empty(), "not yet: 8 days left");

    clock.advance(chrono::TimeDelta::days(2));
    let mail = smtp.wait_for_matching("ann@example.com", "expires in 7 days", 1).await;
    assert!(mail.data.contains("Nightly backup"), "{}", mail.data);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.matching("ann@example.com", "expires in 7 days").len(), 1, "told once");

    clock.advance(chrono::TimeDelta::days(7));
    let mut logged = 0;
    for _ in 0..50 {
        let page: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
        logged = kinds(&page).iter().filter(|k| *k == "access_token_expired").count();
        if logged > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let page: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
    assert_eq!(logged, 1);
    assert_eq!(kinds(&page).iter().filter(|k| *k == "access_token_expired").count(), 1, "logged once");
}

#[tokio::test]
async fn a_token_used_from_outside_its_networks_is_refused_whatever_the_headers_say() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let elsewhere = created(
        &app,
        json!({"name": "Office", "scopes": {"profile": "read"}, "expires_in_days": 30,
        "allowed_networks": ["10.0.0.0/8", "2001:db8::/32"]}),
    )
    .await;
    let elsewhere = elsewhere["token"].as_str().unwrap();
    let refused = with_token(&app, Method::GET, "/api/v1/me", elsewhere, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(refused).await.code, "network_not_allowed");
    // No proxy is trusted, so claiming an office address changes nothing.
    let spoofed = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(elsewhere)
        .header("X-Forwarded-For", "10.1.2.3")
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::FORBIDDEN);

    let here = created(
        &app,
        json!({"name": "Here", "scopes": {"profile": "read"}, "expires_in_days": 30,
        "allowed_networks": ["127.0.0.1"]}),
    )
    .await;
    let here = here["token"].as_str().unwrap();
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", here, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_first_use_from_each_new_address_is_logged_once() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    app.signed_up("ann@example.com").await;
    let token = token_with(&app, json!({"profile": "read"})).await;
    let from = |ip: &'static str| {
        let (url, token) = (app.url("/api/v1/me"), token.clone());
        async move {
            let response =
                reqwest::Client::new().get(url).bearer_auth(token).header("X-Forwarded-For", ip).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
        }
    };
    from("203.0.113.5").await;
    from("203.0.113.5").await;
    from("198.51.100.9").await;
    from("203.0.113.5").await;
    let page: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
    let new_addresses: Vec<&Value> =
        page["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "access_token_new_address").collect();
    assert_eq!(new_addresses.len(), 2, "{page}");
    assert!(new_addresses[0]["detail"].as_str().unwrap().contains("198.51.100.9"));
    assert!(new_addresses[1]["detail"].as_str().unwrap().contains("203.0.113.5"));
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_on_every_instance() {
    let app = spawn_app().await;
    let other = spawn_instance_of(&app, |_| {}).await;
    app.signed_up("ann@example.com").await;
    let body = created(&app, json!({"name": "Poller", "scopes": {"profile": "read"}, "expires_in_days": 30})).await;
    let token = body["token"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(with_token(&other, Method::GET, "/api/v1/me", token, None).await.status(), StatusCode::OK);
    }
    let revoked = app.delete(&format!("/api/v1/me/tokens/{}", body["id"].as_str().unwrap())).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    // At once on this instance and, on SQLite, on the other; on PostgreSQL the other hears of it
    // from the database's change notice, within milliseconds.
    for instance in [&app, &other] {
        let status = settled(|| async { with_token(instance, Method::GET, "/api/v1/me", token, None).await.status() });
        assert_eq!(status.await, StatusCode::UNAUTHORIZED);
        let refused = with_token(instance, Method::GET, "/api/v1/me", token, None).await;
        assert_eq!(error_body(refused).await.code, "invalid_credentials");
    }
    let page: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
    assert!(kinds(&page).contains(&"access_token_revoked".to_string()));
    assert!(kinds(&page).contains(&"access_token_created".to_string()));
    // Someone else's token id is not found, and not revoked.
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    let bobs = created(&bob, json!({"name": "Bob's", "scopes": {"profile": "read"}, "expires_in_days": 30})).await;
    let attempt = app.delete(&format!("/api/v1/me/tokens/{}", bobs["id"].as_str().unwrap())).await;
    assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
    let bobs_token = bobs["token"].as_str().unwrap();
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", bobs_token, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_never_has_more_than_its_user_demoted_or_deactivated() {
    let app = spawn_app().await;
    let ann = app.signed_up("ann@example.com").await;
    let account_id = ann["account"]["id"].as_str().unwrap();
    let (sam, sam_id) = member(&app, account_id, "sam@example.com", "admin").await;
    let token = token_with(&sam, json!({"users": "read", "profile": "read"})).await;
    assert_eq!(with_token(&app, Method::GET, "/api/v1/users", &token, None).await.status(), StatusCode::OK);

    let demoted = app.patch(&format!("/api/v1/users/{sam_id}"), json!({"admin": false})).await;
    assert_eq!(demoted.status(), StatusCode::OK);
    let refused = with_token(&app, Method::GET, "/api/v1/users", &token, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(refused).await.code, "admin_required");
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", &token, None).await.status(), StatusCode::OK);

    let deactivated = app.patch(&format!("/api/v1/users/{sam_id}"), json!({"active": false})).await;
    assert_eq!(deactivated.status(), StatusCode::OK);
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", &token, None).await.status(), StatusCode::UNAUTHORIZED);
    // Reactivated, Sam starts with no tokens: deactivation revoked them.
    let reactivated = app.patch(&format!("/api/v1/users/{sam_id}"), json!({"active": true})).await;
    assert_eq!(reactivated.status(), StatusCode::OK);
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", &token, None).await.status(), StatusCode::UNAUTHORIZED);
    let all: Value = app.get("/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 0);
    let page: Value = app.get("/api/v1/security-events").await.json().await.unwrap();
    assert!(kinds(&page).contains(&"access_token_revoked".to_string()), "{page}");

    // Removing a user takes their tokens with them.
    let (sam2, sam2_id) = member(&app, account_id, "sam2@example.com", "standard").await;
    let token2 = token_with(&sam2, json!({"profile": "read"})).await;
    assert_eq!(app.delete(&format!("/api/v1/users/{sam2_id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", &token2, None).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admins_list_and_revoke_the_accounts_tokens_and_no_one_else_does() {
    let app = spawn_app().await;
    let ann = app.signed_up("ann@example.com").await;
    let account_id = ann["account"]["id"].as_str().unwrap();
    let (sam, _) = member(&app, account_id, "sam@example.com", "standard").await;
    let sams = created(&sam, json!({"name": "Sam's", "scopes": {"profile": "read"}, "expires_in_days": 30})).await;
    let (id, token) = (sams["id"].as_str().unwrap(), sams["token"].as_str().unwrap());

    let all: Value = app.get("/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(all[0]["user_email"], "sam@example.com");
    assert_eq!(sam.get("/api/v1/tokens").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(sam.delete(&format!("/api/v1/tokens/{id}")).await.status(), StatusCode::FORBIDDEN);
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.delete(&format!("/api/v1/tokens/{id}")).await.status(), StatusCode::NOT_FOUND);
    let bobs: Value = bob.get("/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(bobs.as_array().unwrap().len(), 0, "another account's admin sees none of them");
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", token, None).await.status(), StatusCode::OK);

    assert_eq!(app.delete(&format!("/api/v1/tokens/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(with_token(&app, Method::GET, "/api/v1/me", token, None).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_account_policy_caps_lifetimes_and_refuses_endless_tokens_by_default() {
    let app = spawn_app().await;
    let ann = app.signed_up("ann@example.com").await;
    let request = |days: Value| json!({"name": "T", "scopes": {"profile": "read"}, "expires_in_days": days});
    let policy: Value = app.get("/api/v1/account/token-policy").await.json().await.unwrap();
    assert_eq!(policy, json!({"max_lifetime_days": 366, "allow_no_expiry": false}));
    for days in [json!(null), json!(0), json!(367)] {
        let response = app.post("/api/v1/me/tokens", request(days.clone())).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert!(!error_body(response).await.field("expires_in_days").is_empty());
    }
    let no_expiry_field = app.post("/api/v1/me/tokens", json!({"name": "T", "scopes": {"profile": "read"}})).await;
    assert_eq!(no_expiry_field.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (sam, _) = member(&app, ann["account"]["id"].as_str().unwrap(), "sam@example.com", "standard").await;
    let lenient = json!({"max_lifetime_days": 30, "allow_no_expiry": true});
    assert_eq!(sam.put("/api/v1/account/token-policy", lenient.clone()).await.status(), StatusCode::FORBIDDEN);
    let bad = app.put("/api/v1/account/token-policy", json!({"max_lifetime_days": 0, "allow_no_expiry": false})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.put("/api/v1/account/token-policy", lenient.clone()).await.status(), StatusCode::OK);
    assert_eq!(sam.get("/api/v1/account/token-policy").await.json::<Value>().await.unwrap(), lenient);
    assert_eq!(sam.post("/api/v1/me/tokens", request(json!(31))).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let endless = created(&sam, request(json!(null))).await;
    assert!(endless["expires_at"].is_null());
}

#[tokio::test]
async fn malformed_requests_get_field_errors_and_nothing_is_made() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let cases = [
        (json!({"name": "", "scopes": {"profile": "read"}, "expires_in_days": 7}), "name"),
        (json!({"name": "T", "scopes": {}, "expires_in_days": 7}), "scopes"),
        (
            json!({"name": "T", "scopes": {"profile": "read"}, "expires_in_days": 7, "allowed_networks": ["10.0.0.0/33"]}),
            "allowed_networks",
        ),
        (
            json!({"name": "T", "scopes": {"profile": "read"}, "expires_in_days": 7, "allowed_networks": ["example.com"]}),
            "allowed_networks",
        ),
    ];
    for (body, field) in cases {
        let response = app.post("/api/v1/me/tokens", body.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(!error_body(response).await.field(field).is_empty(), "{body}");
    }
    for body in [
        json!({"name": "T", "scopes": {"keys": "write"}, "expires_in_days": 7}),
        json!({"name": "T", "scopes": {"profile": "admin"}, "expires_in_days": 7}),
    ] {
        let response = app.post("/api/v1/me/tokens", body.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_body(response).await.code, "bad_request");
    }
    let listed: Value = app.get("/api/v1/me/tokens").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0);

    // A mistyped token is told apart without a lookup; a developer key's body under kdt_ fails too.
    let token = token_with(&app, json!({"profile": "read"})).await;
    let last = if token.ends_with('x') { 'y' } else { 'x' };
    let typo = format!("{}{last}", &token[..token.len() - 1]);
    let refused = with_token(&app, Method::GET, "/api/v1/me", &typo, None).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(error_body(refused).await.error.contains("access token"));
}

#[tokio::test]
async fn one_user_holds_at_most_fifty_tokens() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    for _ in 0..shared::v1::TOKENS_PER_USER_MAX {
        token_with(&app, json!({"profile": "read"})).await;
    }
    let refused = app
        .post(
            "/api/v1/me/tokens",
            json!({"name": "One more", "scopes": {"profile": "read"},
        "expires_in_days": 7}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(refused).await.code, "too_many_tokens");
}

#[tokio::test]
async fn creating_a_token_is_mailed_to_the_owner() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up("ann@example.com").await;
    created(&app, json!({"name": "CI deploys", "scopes": {"profile": "read"}, "expires_in_days": 7})).await;
    smtp.wait_for_matching("ann@example.com", "CI deploys", 1).await;
}
