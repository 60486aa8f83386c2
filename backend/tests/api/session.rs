//! Sign-in, sessions, CSRF and throttling.

use crate::helpers::{error_body, spawn_app, PASSWORD};
use diesel::prelude::*;
use keydesk::auth::throttle::{PER_ADDRESS, PER_EMAIL};
use keydesk::db::schema::sessions;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn signing_in_with_the_right_password_starts_a_session() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let browser = app.other_browser();

    let response = browser.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("keydesk_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let csrf = cookies.iter().find(|c| c.starts_with("keydesk_csrf=")).expect("csrf cookie");
    assert!(!csrf.contains("HttpOnly"), "the SPA must be able to read {csrf}");

    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_session_token_is_stored_only_as_a_hash() {
    let app = spawn_app().await;
    let response = app.sign_up("ann@example.com").await;
    let cookie = response.cookies().find(|c| c.name() == "keydesk_session").unwrap().value().to_string();
    let stored: Vec<String> = sessions::table.select(sessions::id).load(&mut app.db()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], cookie);
    assert_eq!(stored[0], keydesk::crypto::token_hash(&cookie));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let browser = app.other_browser();
    let wrong_password = browser.sign_in("ann@example.com", "Wrong-pass1").await;
    let unknown_email = browser.sign_in("bob@example.com", "Wrong-pass1").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(wrong_password).await, error_body(unknown_email).await);
}

#[tokio::test]
async fn signing_in_ignores_the_email_s_letter_case() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.other_browser().sign_in("  Ann@EXAMPLE.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    assert_eq!(app.delete("/api/v1/session").await.status(), StatusCode::NO_CONTENT);
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(response).await.code, "unauthorized");
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.client.patch(app.url("/api/v1/me")).json(&json!({"name": "Mallory"})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(response).await.code, "csrf_token_invalid");
    let response = app
        .client
        .patch(app.url("/api/v1/me"))
        .header("X-CSRF-Token", "forged")
        .json(&json!({"name": "Mallory"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["name"], "Ann Example");
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::hours(13);
    diesel::update(sessions::table).set(sessions::last_seen_at.eq(long_ago)).execute(&mut app.db()).unwrap();
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_expiry_however_busy() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
    diesel::update(sessions::table).set(sessions::expires_at.eq(past)).execute(&mut app.db()).unwrap();
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failures_for_one_email_are_throttled() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let browser = app.other_browser();
    for _ in 0..PER_EMAIL {
        assert_eq!(browser.sign_in("ann@example.com", "Wrong-pass1").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now: the limit is on attempts, not on success.
    let response = browser.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    assert_eq!(error_body(response).await.code, "rate_limited");
}

#[tokio::test]
async fn a_successful_sign_in_forgives_earlier_typos() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let browser = app.other_browser();
    for _ in 0..PER_EMAIL - 1 {
        browser.sign_in("ann@example.com", "Wrong-pass1").await;
    }
    assert_eq!(browser.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    for _ in 0..PER_EMAIL - 1 {
        browser.sign_in("ann@example.com", "Wrong-pass1").await;
    }
    assert_eq!(browser.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_old_style_hash_is_upgraded_at_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use keydesk::db::schema::users;
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(8192, 1, 1, None).unwrap(),
    );
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let old = weak.hash_password(PASSWORD.as_bytes(), &salt).unwrap().to_string();
    diesel::update(users::table).set(users::password_hash.eq(&old)).execute(&mut app.db()).unwrap();

    assert_eq!(app.other_browser().sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    let stored: String = users::table.select(users::password_hash).first(&mut app.db()).unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
}

#[tokio::test]
async fn requests_without_a_session_are_unauthorized() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(response).await.code, "unauthorized");
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_throttled_across_emails() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let browser = app.other_browser();
    // Spread over many emails so the per-email limit never triggers.
    for i in 0..PER_ADDRESS {
        let email = format!("guess{}@example.com", i % 50);
        assert_eq!(browser.sign_in(&email, "Wrong-pass1").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = browser.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}
