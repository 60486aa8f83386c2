//! Passkeys: registration, passwordless sign-in and the second step, run with a software
//! authenticator as a browser would; and each ceremony's failure paths as an attacker would try
//! them (a replayed or foreign ceremony, an unknown credential, a cloned authenticator's counter,
//! a user handle naming someone else).

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel::prelude::*;
use keydesk::db::schema::{passkeys, sessions};
use reqwest::StatusCode;
use serde_json::{json, Value};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

/// A software authenticator, at the origin the browser would report.
pub struct Authenticator {
    inner: WebauthnAuthenticator<SoftPasskey>,
    origin: Url,
}

impl Authenticator {
    pub fn for_app(app: &TestApp) -> Authenticator {
        let port = Url::parse(&app.address).unwrap().port().unwrap();
        // `true`: the soft token claims user verification, as a platform passkey does.
        Authenticator {
            inner: WebauthnAuthenticator::new(SoftPasskey::new(true)),
            origin: Url::parse(&format!("http://localhost:{port}")).unwrap(),
        }
    }

    /// The browser's answer to registration options.
    pub fn create(&mut self, options: &Value) -> Value {
        let mut options = options.clone();
        // The soft token keeps no resident keys; the server does not depend on it storing one.
        options["publicKey"]["authenticatorSelection"]["residentKey"] = json!("discouraged");
        options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = json!(false);
        let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
        serde_json::to_value(self.inner.do_registration(self.origin.clone(), options).unwrap()).unwrap()
    }

    /// The browser's answer to sign-in options, with `credential_id` (a discoverable passkey picks
    /// itself; the soft token needs telling) and `user_handle` as a resident key would report it.
    pub fn get(&mut self, options: &Value, credential_id: &str, user_handle: Option<&str>) -> Value {
        let mut options = options.clone();
        options["publicKey"]["allowCredentials"] = json!([{"type": "public-key", "id": credential_id}]);
        let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
        let mut answer =
            serde_json::to_value(self.inner.do_authentication(self.origin.clone(), options).unwrap()).unwrap();
        if let Some(user_id) = user_handle {
            let handle = uuid::Uuid::parse_str(user_id).unwrap();
            answer["response"]["userHandle"] = json!(URL_SAFE_NO_PAD.encode(handle.as_bytes()));
        }
        answer
    }
}

/// Registers a passkey for the signed-in user; returns the answer's body.
pub async fn register(app: &TestApp, key: &mut Authenticator, name: &str) -> Value {
    let ceremony: Value = app.post("/api/v1/me/passkeys/registration", json!({})).await.json().await.unwrap();
    let credential = key.create(&ceremony["options"]);
    let response = app
        .post("/api/v1/me/passkeys", json!({"ceremony": ceremony["ceremony"], "name": name, "credential": credential}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut body: Value = response.json().await.unwrap();
    body["credential_id"] = credential["id"].clone();
    body
}

async fn sign_in_options(browser: &TestApp) -> Value {
    let response = browser.post("/api/v1/session/passkey-options", json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn passkey_sign_in(browser: &TestApp, ceremony: &Value, credential: &Value) -> reqwest::Response {
    browser.post("/api/v1/session/passkey", json!({"ceremony": ceremony["ceremony"], "credential": credential})).await
}

/// Ann, signed up, with one passkey; returns the app, Ann's id, her authenticator and the passkey.
async fn ann_with_a_passkey() -> (TestApp, String, Authenticator, Value) {
    let app = spawn_app().await;
    let ann_id = app.signed_up("ann@example.com").await["id"].as_str().unwrap().to_string();
    let mut key = Authenticator::for_app(&app);
    let passkey = register(&app, &mut key, "Work laptop").await;
    (app, ann_id, key, passkey)
}

#[tokio::test]
async fn a_passkey_is_registered_renamed_and_signs_in_without_a_password() {
    let (app, ann_id, mut key, passkey) = ann_with_a_passkey().await;
    assert_eq!(passkey["name"], "Work laptop");
    assert!(passkey["last_used_at"].is_null());
    let id = passkey["id"].as_str().unwrap();
    let renamed = app.patch(&format!("/api/v1/me/passkeys/{id}"), json!({"name": "Old laptop"})).await;
    assert_eq!(renamed.status(), StatusCode::OK);

    let browser = app.other_browser();
    let ceremony = sign_in_options(&browser).await;
    assert!(ceremony["options"]["publicKey"]["allowCredentials"].as_array().is_none_or(|a| a.is_empty()));
    let credential = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), Some(&ann_id));
    let response = passkey_sign_in(&browser, &ceremony, &credential).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ann@example.com");
    browser.remember_csrf(&body);

    let sessions: Vec<Value> = browser.get("/api/v1/me/sessions").await.json().await.unwrap();
    let current = sessions.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(current["auth_method"], "passkey");
    let listed: Vec<Value> = app.get("/api/v1/me/passkeys").await.json().await.unwrap();
    assert_eq!((listed.len(), listed[0]["name"].as_str()), (1, Some("Old laptop")));
    assert!(listed[0]["last_used_at"].is_string());
    let log: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
    let kinds: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"passkey_added") && kinds.contains(&"passkey_used"), "{kinds:?}");
}

#[tokio::test]
async fn a_registration_ceremony_finishes_once_and_only_for_the_user_who_began_it() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let mut key = Authenticator::for_app(&app);
    let ceremony: Value = app.post("/api/v1/me/passkeys/registration", json!({})).await.json().await.unwrap();
    let credential = key.create(&ceremony["options"]);

    // Mallory, signed in to her own account, tries to finish Ann's ceremony.
    let mallory = app.other_browser();
    mallory.signed_up("mallory@example.com").await;
    let body = json!({"ceremony": ceremony["ceremony"], "name": "Mine now", "credential": credential});
    assert_eq!(mallory.post("/api/v1/me/passkeys", body.clone()).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Taking it ended it: not even Ann can finish it now, nor with a made-up ceremony.
    assert_eq!(app.post("/api/v1/me/passkeys", body).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let made_up = json!({"ceremony": "not-a-ceremony", "name": "Laptop", "credential": credential});
    assert_eq!(app.post("/api/v1/me/passkeys", made_up).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/me/passkeys").await.json::<Vec<Value>>().await.unwrap().len(), 0);
    assert_eq!(mallory.get("/api/v1/me/passkeys").await.json::<Vec<Value>>().await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_registration_answering_another_ceremony_is_refused() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let mut key = Authenticator::for_app(&app);
    let first: Value = app.post("/api/v1/me/passkeys/registration", json!({})).await.json().await.unwrap();
    let second: Value = app.post("/api/v1/me/passkeys/registration", json!({})).await.json().await.unwrap();
    let credential = key.create(&first["options"]);
    let body = json!({"ceremony": second["ceremony"], "name": "Laptop", "credential": credential});
    let response = app.post("/api/v1/me/passkeys", body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::helpers::error_body(response).await.field("credential")[0].contains("could not be verified"));
}

#[tokio::test]
async fn a_sign_in_answer_is_accepted_once() {
    let (app, ann_id, mut key, passkey) = ann_with_a_passkey().await;
    let browser = app.other_browser();
    let ceremony = sign_in_options(&browser).await;
    let credential = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), Some(&ann_id));
    assert_eq!(passkey_sign_in(&browser, &ceremony, &credential).await.status(), StatusCode::OK);
    // An attacker who captured the answer replays it, with the same ceremony and with a fresh one.
    let thief = app.other_browser();
    assert_eq!(passkey_sign_in(&thief, &ceremony, &credential).await.status(), StatusCode::UNAUTHORIZED);
    let fresh = sign_in_options(&thief).await;
    assert_eq!(passkey_sign_in(&thief, &fresh, &credential).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(thief.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unknown_credential_signs_no_one_in() {
    let (app, ann_id, _, _) = ann_with_a_passkey().await;
    // A passkey made for this site but never registered (its registration was not finished).
    let mut stranger = Authenticator::for_app(&app);
    let ceremony: Value = app.post("/api/v1/me/passkeys/registration", json!({})).await.json().await.unwrap();
    let unregistered = stranger.create(&ceremony["options"]);
    let browser = app.other_browser();
    let options = sign_in_options(&browser).await;
    let credential = stranger.get(&options["options"], unregistered["id"].as_str().unwrap(), Some(&ann_id));
    assert_eq!(passkey_sign_in(&browser, &options, &credential).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_handle_naming_someone_else_is_refused() {
    let (app, _, mut key, passkey) = ann_with_a_passkey().await;
    let mallory = app.other_browser();
    let mallory_id = mallory.signed_up("mallory@example.com").await["id"].as_str().unwrap().to_string();
    let browser = app.other_browser();
    let ceremony = sign_in_options(&browser).await;
    // Ann's own passkey, with the unsigned user handle rewritten to Mallory's id.
    let credential = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), Some(&mallory_id));
    assert_eq!(passkey_sign_in(&browser, &ceremony, &credential).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_counter_that_goes_backwards_looks_like_a_clone_and_is_refused() {
    let (app, ann_id, mut key, passkey) = ann_with_a_passkey().await;
    // The stored counter is ahead of the authenticator's, as after a clone had signed in.
    let stored: String = passkeys::table.select(passkeys::credential).first(&mut app.db()).unwrap();
    let mut credential: Value = serde_json::from_str(&stored).unwrap();
    credential["cred"]["counter"] = json!(1000);
    diesel::update(passkeys::table)
        .set(passkeys::credential.eq(credential.to_string()))
        .execute(&mut app.db())
        .unwrap();

    let browser = app.other_browser();
    let ceremony = sign_in_options(&browser).await;
    let answer = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), Some(&ann_id));
    assert_eq!(passkey_sign_in(&browser, &ceremony, &answer).await.status(), StatusCode::UNAUTHORIZED);
    let log: Value = app.get("/api/v1/me/security-events?kind=sign_in_failed").await.json().await.unwrap();
    assert_eq!(log["events"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn adding_or_removing_a_passkey_needs_a_recent_password() {
    let (app, _, mut key, passkey) = ann_with_a_passkey().await;
    // A session whose password check is old: a stolen cookie, say.
    let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
    diesel::update(sessions::table).set(sessions::password_checked_at.eq(long_ago)).execute(&mut app.db()).unwrap();
    let response = app.post("/api/v1/me/passkeys/registration", json!({})).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(crate::helpers::error_body(response).await.code, "reauthentication_required");
    let id = passkey["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/me/passkeys/{id}")).await.status(), StatusCode::FORBIDDEN);

    let deleted = app
        .request(reqwest::Method::DELETE, &format!("/api/v1/me/passkeys/{id}"), Some(json!({"password": PASSWORD})))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let browser = app.other_browser();
    let ceremony = sign_in_options(&browser).await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let answer = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), me["id"].as_str());
    assert_eq!(passkey_sign_in(&browser, &ceremony, &answer).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn another_users_passkey_cannot_be_renamed_or_deleted() {
    let (app, _, _, passkey) = ann_with_a_passkey().await;
    let mallory = app.other_browser();
    mallory.signed_up("mallory@example.com").await;
    let id = passkey["id"].as_str().unwrap();
    let path = format!("/api/v1/me/passkeys/{id}");
    assert_eq!(mallory.patch(&path, json!({"name": "Mine"})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(mallory.delete(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/me/passkeys").await.json::<Vec<Value>>().await.unwrap().len(), 1);
}
