//! Developer keys: generation, reveal, regeneration, and authenticating with one.

use crate::helpers::{error_body, spawn_app, TestApp, PASSWORD};
use diesel::prelude::*;
use keydesk::db::schema::{developer_keys, sessions};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn generate(app: &TestApp) -> String {
    let response = app.post("/api/v1/me/developer-key", json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    body["key"].as_str().unwrap().to_string()
}

async fn me_with_bearer(app: &TestApp, key: &str) -> reqwest::Response {
    app.client.get(app.url("/api/v1/me")).bearer_auth(key).send().await.unwrap()
}

/// Makes the session's last password check older than the 15-minute window.
fn age_password_check(app: &TestApp) {
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(16);
    diesel::update(sessions::table).set(sessions::password_checked_at.eq(old)).execute(&mut app.db()).unwrap();
}

#[tokio::test]
async fn a_new_user_has_no_key_until_one_is_generated() {
    let app = spawn_app().await;
    let user = app.signed_up("ann@example.com").await;
    assert_eq!(user["developer_key"]["exists"], false);
    let key = generate(&app).await;
    assert!(key.starts_with("kd_") && key.len() > 40, "{key}");

    let state: Value = app.get("/api/v1/me/developer-key").await.json().await.unwrap();
    assert_eq!(state["exists"], true);
    assert!(state.get("key").is_none(), "the state never carries the key: {state}");
    assert_eq!(state["hint"].as_str().unwrap(), format!("kd_…{}", &key[key.len() - 4..]));
}

#[tokio::test]
async fn the_key_authenticates_as_bearer_and_as_basic_with_the_email() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let script = crate::helpers::new_client();

    let me: Value = me_with_bearer(&app, &key).await.json().await.unwrap();
    assert_eq!(me["email"], "ann@example.com");
    let response = script.get(app.url("/api/v1/me")).basic_auth("Ann@Example.com", Some(&key)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = script.get(app.url("/api/v1/me")).basic_auth("bob@example.com", Some(&key)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn key_authenticated_writes_need_no_csrf_token() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let response = crate::helpers::new_client()
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&key)
        .json(&json!({"name": "Scripted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_bad_key_gets_401_with_a_challenge_and_no_detail() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let other_key = keydesk_key_of_other_server();
    let response = me_with_bearer(&app, &other_key).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers()["www-authenticate"].to_str().unwrap().contains("Bearer"));
    let body = error_body(response).await;
    assert_eq!(body.code, "invalid_credentials");
    assert!(!body.error.contains("ann"));

    // A typo is told apart from a wrong key, without a lookup.
    let mut typo = key.clone();
    typo.replace_range(10..11, if &key[10..11] == "A" { "B" } else { "A" });
    let body = error_body(me_with_bearer(&app, &typo).await).await;
    assert!(body.error.contains("mistyped"), "{}", body.error);
}

fn keydesk_key_of_other_server() -> String {
    shared::key_format::DEVELOPER_KEY.format(&[7; 32])
}

#[tokio::test]
async fn regenerating_a_key_invalidates_the_old_one_at_once() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let old = generate(&app).await;
    assert_eq!(me_with_bearer(&app, &old).await.status(), StatusCode::OK);
    let new = generate(&app).await;
    assert_ne!(old, new);
    assert_eq!(me_with_bearer(&app, &old).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me_with_bearer(&app, &new).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn show_key_returns_the_same_key_while_the_sign_in_is_recent() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let body: Value = app.post("/api/v1/me/developer-key/reveal", json!({})).await.json().await.unwrap();
    assert_eq!(body["key"], key.as_str());
}

#[tokio::test]
async fn showing_or_regenerating_after_15_minutes_needs_the_password() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    age_password_check(&app);

    for path in ["/api/v1/me/developer-key/reveal", "/api/v1/me/developer-key"] {
        let response = app.post(path, json!({})).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_body(response).await.code, "reauthentication_required");
        let response = app.post(path, json!({"password": "Wrong-pass1"})).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    assert_eq!(me_with_bearer(&app, &key).await.status(), StatusCode::OK, "refused attempts change nothing");

    let response = app.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The password check is fresh again, so the next sensitive step needs none.
    assert_eq!(app.post("/api/v1/me/developer-key/reveal", json!({})).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn showing_a_key_that_does_not_exist_is_404() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.post("/api/v1/me/developer-key/reveal", json!({})).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_database_holds_no_key_in_clear() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let (hash, sealed): (String, String) = developer_keys::table
        .select((developer_keys::lookup_hash, developer_keys::sealed_key))
        .first(&mut app.db())
        .unwrap();
    assert!(!hash.contains(&key[3..]) && !sealed.contains(&key[3..]));
    assert_ne!(hash, keydesk::crypto::token_hash(&key), "the lookup hash is keyed, not plain SHA-256");
}

#[tokio::test]
async fn last_use_is_recorded_with_the_address() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    me_with_bearer(&app, &key).await;
    let state: Value = app.get("/api/v1/me/developer-key").await.json().await.unwrap();
    assert!(state["last_used_at"].is_string(), "{state}");
    assert_eq!(state["last_used_ip"], "127.0.0.1");
}

#[tokio::test]
async fn a_key_authenticated_caller_must_always_give_the_password_to_show_the_key() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    let script = crate::helpers::new_client();
    let response = script.post(app.url("/api/v1/me/developer-key/reveal")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = script
        .post(app.url("/api/v1/me/developer-key/reveal"))
        .bearer_auth(&key)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

async fn name_seen_with_key(app: &TestApp, key: &str) -> String {
    let me: Value = crate::helpers::new_client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["name"].as_str().unwrap().to_string()
}

/// A server that has just answered a read with Ann's key, and so may remember it.
async fn ann_whose_key_was_just_used() -> (TestApp, String) {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = generate(&app).await;
    assert_eq!(name_seen_with_key(&app, &key).await, "Ann Example");
    (app, key)
}

#[tokio::test]
async fn a_key_s_reads_see_every_write_this_server_has_answered_at_once() {
    let (app, key) = ann_whose_key_was_just_used().await;
    assert_eq!(app.patch("/api/v1/me", json!({"name": "Ann Browser"})).await.status(), StatusCode::OK);
    assert_eq!(name_seen_with_key(&app, &key).await, "Ann Browser");

    let script = crate::helpers::new_client();
    let renamed = script.patch(app.url("/api/v1/me")).bearer_auth(&key).json(&json!({"name": "Ann Script"})).send();
    assert_eq!(renamed.await.unwrap().status(), StatusCode::OK);
    assert_eq!(name_seen_with_key(&app, &key).await, "Ann Script");
}

#[tokio::test]
async fn a_change_made_through_another_instance_is_seen_at_once() {
    let (app, key) = ann_whose_key_was_just_used().await;

    let other = crate::helpers::spawn_instance_of(&app, |_| {}).await;
    let script = crate::helpers::new_client();
    let renamed =
        script.patch(other.url("/api/v1/me")).bearer_auth(&key).json(&json!({"name": "Ann Elsewhere"})).send();
    assert_eq!(renamed.await.unwrap().status(), StatusCode::OK);
    assert_eq!(name_seen_with_key(&app, &key).await, "Ann Elsewhere");
}

/// What bypasses every server (an operator's own SQL) is still seen, within `FRESH_FOR`.
#[tokio::test]
async fn a_change_written_straight_to_the_database_is_seen_within_a_moment() {
    use keydesk::db::schema::users;
    let (app, key) = ann_whose_key_was_just_used().await;

    diesel::update(users::table).set(users::name.eq("Ann Operator")).execute(&mut app.db()).unwrap();
    let deadline = std::time::Instant::now() + keydesk::recent::FRESH_FOR * 5;
    while name_seen_with_key(&app, &key).await != "Ann Operator" {
        assert!(std::time::Instant::now() < deadline, "the change was never seen");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
