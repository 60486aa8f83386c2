//! What a stolen or tampered database yields: sealed values bound to the row they were sealed for,
//! and one-time access codes hashed with a salt each. Values written by earlier versions still work.

use crate::helpers::{current_totp_code, spawn_app, spawn_instance_of, TestApp, PASSWORD};
use diesel::prelude::*;
use keydesk::crypto::{load_or_create_key, KeyedHasher, SecretBox};
use keydesk::db::schema::{developer_keys, recovery_codes};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn server_key(app: &TestApp) -> [u8; 32] {
    load_or_create_key(app.data_dir.path(), None).unwrap()
}

async fn developer_key(browser: &TestApp) -> String {
    let response = browser.post("/api/v1/me/developer-key", json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["key"].as_str().unwrap().to_string()
}

fn sealed_key_of(app: &TestApp, user_id: &str) -> String {
    developer_keys::table.find(user_id).select(developer_keys::sealed_key).first(&mut app.db()).unwrap()
}

fn store_sealed_key(app: &TestApp, user_id: &str, sealed: &str) {
    diesel::update(developer_keys::table.find(user_id))
        .set(developer_keys::sealed_key.eq(sealed))
        .execute(&mut app.db())
        .unwrap();
}

#[tokio::test]
async fn a_sealed_key_copied_into_another_user_s_row_does_not_open_there() {
    let app = spawn_app().await;
    let ann = app.signed_up("ann@example.com").await;
    let anns_key = developer_key(&app).await;
    let mallory_browser = app.other_browser();
    let mallory = mallory_browser.signed_up("mallory@example.com").await;
    developer_key(&mallory_browser).await;

    // Mallory can write to the database (an injection, a restored backup) but has no server key.
    let anns_sealed = sealed_key_of(&app, ann["id"].as_str().unwrap());
    store_sealed_key(&app, mallory["id"].as_str().unwrap(), &anns_sealed);
    let response = mallory_browser.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!response.text().await.unwrap().contains(&anns_key), "Ann's key was revealed to Mallory");
    let response = app.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    assert_eq!(response.json::<Value>().await.unwrap()["key"], anns_key.as_str(), "in its own row it opens");
}

#[tokio::test]
async fn a_key_sealed_before_rows_were_bound_still_opens_and_is_bound_at_the_next_start() {
    let app = spawn_app().await;
    let ann = app.signed_up("ann@example.com").await;
    let ann_id = ann["id"].as_str().unwrap();
    let key = developer_key(&app).await;
    let old_form = SecretBox::new(server_key(&app), &[]).seal_unbound(key.as_bytes()).unwrap();
    store_sealed_key(&app, ann_id, &old_form);
    let response = app.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    assert_eq!(response.json::<Value>().await.unwrap()["key"], key.as_str());

    let restarted = spawn_instance_of(&app, |_| {}).await;
    let bound = sealed_key_of(&app, ann_id);
    assert!(bound.starts_with("v2."), "{bound}");
    assert_eq!(restarted.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    let response = restarted.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    assert_eq!(response.json::<Value>().await.unwrap()["key"], key.as_str());
}

/// Turns on 2FA with an authenticator app; answers the one-time access codes.
async fn access_codes(app: &TestApp) -> Vec<String> {
    let setup: Value = app.post("/api/v1/me/two-factor", json!({"method": "totp"})).await.json().await.unwrap();
    let code = current_totp_code(&setup);
    let response = app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect()
}

fn stored_access_codes(app: &TestApp) -> Vec<(String, String)> {
    recovery_codes::table.select((recovery_codes::id, recovery_codes::code_hash)).load(&mut app.db()).unwrap()
}

/// Signs in with an access code in a fresh browser; answers the status of the second step.
async fn sign_in_with_access_code(app: &TestApp, code: &str) -> StatusCode {
    let browser = app.other_browser();
    let first: Value = browser.sign_in("ann@example.com", PASSWORD).await.json().await.unwrap();
    browser.second_step(json!({"challenge": first["challenge"], "recovery_code": code})).await.status()
}

#[tokio::test]
async fn access_codes_are_hashed_with_a_salt_each_so_one_table_of_hashes_does_not_fit_every_user() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let codes = access_codes(&app).await;
    // An attacker holding the database and the server key precomputes the 2^50 codes' hashes once.
    let hasher = KeyedHasher::new(server_key(&app), &[]);
    let precomputed: Vec<String> =
        codes.iter().map(|c| hasher.hash(&keydesk::auth::two_factor::normalize_recovery_code(c))).collect();
    let stored = stored_access_codes(&app);
    assert_eq!(stored.len(), 10);
    for (_, hash) in &stored {
        assert!(!precomputed.iter().any(|p| hash.contains(p.as_str())), "an unsalted hash is stored: {hash}");
    }
    assert_eq!(sign_in_with_access_code(&app, &codes[2]).await, StatusCode::OK);
    assert_eq!(sign_in_with_access_code(&app, &codes[2]).await, StatusCode::UNPROCESSABLE_ENTITY, "once only");
}

#[tokio::test]
async fn access_codes_stored_before_salts_still_sign_in_once() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let codes = access_codes(&app).await;
    let hasher = KeyedHasher::new(server_key(&app), &[]);
    let (id, _) = stored_access_codes(&app).remove(0);
    let old_code = "abcde-fghjk";
    diesel::update(recovery_codes::table.find(&id))
        .set(recovery_codes::code_hash.eq(hasher.hash(&keydesk::auth::two_factor::normalize_recovery_code(old_code))))
        .execute(&mut app.db())
        .unwrap();
    assert_eq!(sign_in_with_access_code(&app, old_code).await, StatusCode::OK);
    assert_eq!(sign_in_with_access_code(&app, old_code).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sign_in_with_access_code(&app, &codes[5]).await, StatusCode::OK);
}
