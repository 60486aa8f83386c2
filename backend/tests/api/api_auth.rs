//! `POST /api/auth` exactly as the spec, and the credentials it issues.

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use diesel::prelude::*;
use keydesk::db::schema::api_credentials;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn auth(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    crate::helpers::new_client().post(app.url("/api/auth")).form(form).send().await.unwrap()
}

async fn issue(app: &TestApp) -> (String, String) {
    let response = auth(app, &[("tool", "dev"), ("login", "ann@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    (body["login"].as_str().unwrap().into(), body["password"].as_str().unwrap().into())
}

async fn me_with_basic(app: &TestApp, login: &str, password: &str) -> StatusCode {
    crate::helpers::new_client()
        .get(app.url("/api/v1/me"))
        .basic_auth(login, Some(password))
        .send()
        .await
        .unwrap()
        .status()
}

fn is_32_hex(s: &str) -> bool {
    s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[tokio::test]
async fn valid_credentials_get_32_hex_login_and_password_that_work_as_basic_auth() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = auth(&app, &[("tool", "insight"), ("login", "ann@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    let (login, password) = (body["login"].as_str().unwrap(), body["password"].as_str().unwrap());
    assert!(is_32_hex(login) && is_32_hex(password), "{body}");
    assert_eq!(me_with_basic(&app, login, password).await, StatusCode::OK);
    assert_eq!(me_with_basic(&app, login, "0".repeat(32).as_str()).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_response_carries_the_rate_limit_headers() {
    let app = spawn_app().await;
    let response = auth(&app, &[("tool", "dev"), ("login", "nobody@example.com"), ("password", "x")]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let headers = response.headers();
    assert_eq!(headers["x-ratelimit-limit"], "15");
    assert_eq!(headers["x-ratelimit-remaining"], "14");
    let reset: u64 = headers["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(reset > now && reset <= now + 15 * 60 + 1, "{reset} vs {now}");
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("developer key"), "{body}");
}

#[tokio::test]
async fn missing_or_invalid_fields_and_wrong_content_type_get_400() {
    let app = spawn_app().await;
    for form in [
        vec![("login", "a@b.co"), ("password", "x")],
        vec![("tool", "dev"), ("password", "x")],
        vec![("tool", "dev"), ("login", "a@b.co")],
        vec![("tool", "voicemail"), ("login", "a@b.co"), ("password", "x")],
    ] {
        let response = auth(&app, &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string() && body.as_object().unwrap().len() == 1, "{body}");
    }
    let response = crate::helpers::new_client()
        .post(app.url("/api/auth"))
        .json(&json!({"tool": "dev", "login": "a@b.co", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn other_methods_get_405_with_allow_post() {
    let app = spawn_app().await;
    for method in [reqwest::Method::GET, reqwest::Method::PUT, reqwest::Method::DELETE] {
        let response = crate::helpers::new_client().request(method.clone(), app.url("/api/auth")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(response.headers()["allow"], "POST");
        assert!(response.headers().contains_key("x-ratelimit-remaining"));
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string());
    }
}

#[tokio::test]
async fn a_wrong_password_an_unknown_login_and_an_inactive_user_get_401() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let wrong = auth(&app, &[("tool", "dev"), ("login", "ann@example.com"), ("password", "Wrong-pass1")]).await;
    let unknown = auth(&app, &[("tool", "dev"), ("login", "bob@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());

    use keydesk::db::schema::users;
    diesel::update(users::table).set(users::is_active.eq(false)).execute(&mut app.db()).unwrap();
    let inactive = auth(&app, &[("tool", "dev"), ("login", "ann@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(inactive.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_developer_key_works_in_place_of_the_password() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key: Value = app.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap();
    let response = auth(&app, &[("tool", "fuseplus"), ("login", "ann@example.com"), ("password", key)]).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn exactly_15_of_50_parallel_requests_from_one_address_pass_the_limit() {
    let app = spawn_app().await;
    let client = crate::helpers::new_client();
    let requests =
        (0..50).map(|_| {
            let client = client.clone();
            let url = app.url("/api/auth");
            // A fresh login each, so the per-email sign-in throttle cannot add 429s of its own.
            let login = format!("{}@example.com", uuid::Uuid::new_v4().simple());
            async move {
                client.post(url).form(&[("tool", "dev"), ("login", login.as_str()), ("password", "x")]).send().await
            }
        });
    let responses = futures_util::future::join_all(requests).await;
    let statuses: Vec<StatusCode> = responses.into_iter().map(|r| r.unwrap().status()).collect();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(statuses.len() - limited, 15, "{statuses:?}");

    let response = auth(&app, &[("tool", "dev"), ("login", "x@example.com"), ("password", "x")]).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
}

#[tokio::test]
async fn issued_credentials_are_listed_and_can_be_revoked() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let (login, password) = issue(&app).await;
    let list: Value = app.get("/api/v1/me/api-credentials").await.json().await.unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["tool"], "dev");
    assert_eq!(list[0]["login_hint"].as_str().unwrap(), &login[..8]);

    let id = list[0]["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/me/api-credentials/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_with_basic(&app, &login, &password).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.delete(&format!("/api/v1/me/api-credentials/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_user_cannot_revoke_my_credentials() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    issue(&app).await;
    let id = api_credentials::table.select(api_credentials::id).first::<String>(&mut app.db()).unwrap();
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.delete(&format!("/api/v1/me/api-credentials/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_password_change_revokes_every_api_credential() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let (login, password) = issue(&app).await;
    let change = json!({"current_password": PASSWORD, "new_password": "N3w+password", "new_password_confirmation": "N3w+password"});
    assert_eq!(app.put("/api/v1/me/password", change).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_with_basic(&app, &login, &password).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn credentials_lapse_24_hours_after_their_last_use() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let (login, password) = issue(&app).await;
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::hours(25);
    diesel::update(api_credentials::table).set(api_credentials::last_used_at.eq(old)).execute(&mut app.db()).unwrap();
    assert_eq!(me_with_basic(&app, &login, &password).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_credential_secret_is_stored_only_as_a_keyed_hash() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let (_, password) = issue(&app).await;
    let stored: String = api_credentials::table.select(api_credentials::secret_hash).first(&mut app.db()).unwrap();
    assert_ne!(stored, password);
    assert!(!stored.contains(&password));
}

/// An attempt with a fresh login each time, so only the address limit can answer 429.
pub async fn auth_from(app: &TestApp, forwarded_for: &str) -> StatusCode {
    let login = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    crate::helpers::new_client()
        .post(app.url("/api/auth"))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[("tool", "dev"), ("login", login.as_str()), ("password", "x")])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = crate::helpers::spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    for _ in 0..15 {
        assert_eq!(auth_from(&app, "203.0.113.5").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(auth_from(&app, "203.0.113.5").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(auth_from(&app, "203.0.113.6").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing() {
    let app = spawn_app().await;
    for i in 0..15 {
        assert_eq!(auth_from(&app, &format!("203.0.113.{i}")).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(auth_from(&app, "203.0.113.99").await, StatusCode::TOO_MANY_REQUESTS);
}
