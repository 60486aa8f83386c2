//! Two-factor authentication: activation by email and SMS, sign-in with a code or a
//! one-time access code, deactivation, delivery failures, and new-device notices.

use crate::helpers::{error_body, spawn_app_with, TestApp, PASSWORD};
use crate::peers::{code_in, SmsProvider, SmtpServer, SMS_ACCOUNT, SMS_TOKEN};
use diesel::prelude::*;
use keydesk::db::schema::{two_factor, two_factor_codes};
use reqwest::StatusCode;
use serde_json::{json, Value};

const EMAIL: &str = "ann@example.com";
const PHONE: &str = "+15551234567";

struct World {
    app: TestApp,
    smtp: SmtpServer,
    sms: SmsProvider,
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let sms = SmsProvider::start().await;
    let (port, url) = (smtp.port, sms.url.clone());
    let app = spawn_app_with(move |s| {
        s.mail.smtp_host = Some("127.0.0.1".into());
        s.mail.smtp_port = port;
        s.mail.smtp_tls = "none".into();
        s.sms.base_url = url;
        s.sms.account = Some(SMS_ACCOUNT.into());
        s.sms.token = Some(SMS_TOKEN.to_string().into());
        s.sms.from = "+15550000000".into();
    })
    .await;
    app.signed_up(EMAIL).await;
    World { app, smtp, sms }
}

/// Activates 2FA by email and returns the one-time access codes.
async fn activate_by_email(w: &World) -> Vec<String> {
    let before = codes_sent(w);
    let response = w.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let code = w.smtp.wait_for_code(EMAIL, before + 1).await;
    let response = w.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect()
}

/// How many verification codes went to the user's email so far.
fn codes_sent(w: &World) -> usize {
    w.smtp.matching(EMAIL, "verification code is").len()
}

/// Signs in with the password in a fresh browser; returns it and the challenge.
async fn first_step(w: &World) -> (TestApp, String) {
    let browser = w.app.other_browser();
    let response = browser.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["two_factor_required"], true, "{body}");
    assert!(body.get("user").is_none() && body.get("csrf_token").is_none());
    (browser, body["challenge"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn activating_by_email_sends_a_code_and_verifying_returns_ten_access_codes() {
    let w = world().await;
    let codes = activate_by_email(&w).await;
    assert_eq!(codes.len(), 10);
    let mail = &w.smtp.to(EMAIL)[0];
    assert!(mail.data.contains("From: Keydesk <hello@keydesk.localhost>"), "{}", mail.data);

    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["enabled"], true);
    assert_eq!(me["two_factor"]["method"], "email");
    assert_eq!(me["two_factor"]["destination_hint"], "a***@example.com");
    assert_eq!(me["two_factor"]["recovery_codes_remaining"], 10);
}

#[tokio::test]
async fn activating_by_sms_sends_the_code_through_the_provider() {
    let w = world().await;
    let response =
        w.app.post("/api/v1/me/two-factor", json!({"method": "sms", "destination": "+1 555 123-4567"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["destination_hint"], "+1••••••••67");
    let sms = w.sms.wait_for(PHONE, 1).await;
    assert_eq!(sms.from, "+15550000000");
    assert!(sms.authorization.starts_with("Basic "));
    let response = w.app.post("/api/v1/me/two-factor/verify", json!({"code": code_in(&sms.body)})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["method"], "sms");
}

#[tokio::test]
async fn destinations_are_validated() {
    let w = world().await;
    for (method, destination) in [("sms", "5551234567"), ("sms", "+0123"), ("email", "not-an-address")] {
        let response = w.app.post("/api/v1/me/two-factor", json!({"method": method, "destination": destination})).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{destination}");
        assert!(!error_body(response).await.field("destination").is_empty());
    }
    let response = w.app.post("/api/v1/me/two-factor", json!({"method": "pigeon", "destination": "x"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wrong_codes_are_refused_and_five_of_them_void_the_code() {
    let w = world().await;
    w.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    let code = w.smtp.wait_for_code(EMAIL, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let response = w.app.post("/api/v1/me/two-factor/verify", json!({"code": wrong})).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = w.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "the right code comes too late");
    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["enabled"], false);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let w = world().await;
    w.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    let code = w.smtp.wait_for_code(EMAIL, 1).await;
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
    diesel::update(two_factor_codes::table)
        .set(two_factor_codes::expires_at.eq(past))
        .execute(&mut w.app.db())
        .unwrap();
    let response = w.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("code")[0].contains("expired"));
}

#[tokio::test]
async fn another_code_cannot_be_sent_within_a_minute() {
    let w = world().await;
    let first = w.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    assert_eq!(first.status(), StatusCode::OK);
    let again = w.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(again.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_failed_delivery_is_a_clear_502_and_leaves_2fa_off() {
    let w = world().await;
    *w.sms.failing.lock().unwrap() = true;
    let response = w.app.post("/api/v1/me/two-factor", json!({"method": "sms", "destination": PHONE})).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = error_body(response).await;
    assert_eq!(body.code, "delivery_failed");
    assert!(body.error.contains("+1••••••••67"), "{}", body.error);
    *w.sms.failing.lock().unwrap() = false;
    // Nothing is left pending, so the user may try again at once.
    let retry = w.app.post("/api/v1/me/two-factor", json!({"method": "sms", "destination": PHONE})).await;
    assert_eq!(retry.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_in_with_2fa_needs_the_emailed_code_and_no_session_exists_before() {
    let w = world().await;
    activate_by_email(&w).await;
    let (browser, challenge) = first_step(&w).await;
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);

    let code = w.smtp.wait_for_code(EMAIL, 2).await;
    let response = browser.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::OK);
    // The challenge is spent.
    let again = browser.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_challenge_allows_five_tries() {
    let w = world().await;
    activate_by_email(&w).await;
    let (browser, challenge) = first_step(&w).await;
    let code = w.smtp.wait_for_code(EMAIL, 2).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let response = browser.second_step(json!({"challenge": challenge, "code": wrong})).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = browser.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_one_time_access_code_signs_in_once_only() {
    let w = world().await;
    let codes = activate_by_email(&w).await;
    let (browser, challenge) = first_step(&w).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let response = browser.second_step(json!({"challenge": challenge, "recovery_code": typed})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["recovery_codes_remaining"], 9);

    let (browser, challenge) = first_step(&w).await;
    let response = browser.second_step(json!({"challenge": challenge, "recovery_code": codes[3]})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_new_set_of_access_codes_voids_the_old_one() {
    let w = world().await;
    let old = activate_by_email(&w).await;
    let response = w.app.post("/api/v1/me/two-factor/recovery-codes", json!({"password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (browser, challenge) = first_step(&w).await;
    let response = browser.second_step(json!({"challenge": challenge, "recovery_code": old[0]})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_old_method_stays_until_the_update_is_verified() {
    let w = world().await;
    let codes = activate_by_email(&w).await;
    let change = json!({"method": "sms", "destination": PHONE, "two_factor_code": codes[0]});
    let response = w.app.post("/api/v1/me/two-factor", change).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["method"], "email", "not switched before verification");
    let code = code_in(&w.sms.wait_for(PHONE, 1).await.body);
    assert_eq!(w.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await.status(), StatusCode::OK);
    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["method"], "sms");
}

#[tokio::test]
async fn deactivating_needs_the_password_and_a_second_factor_and_deletes_the_contact_details() {
    let w = world().await;
    let codes = activate_by_email(&w).await;
    let deactivate = |body: Value| w.app.request(reqwest::Method::DELETE, "/api/v1/me/two-factor", Some(body));
    let wrong = deactivate(json!({"password": "Wrong-pass1", "two_factor_code": codes[0]})).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let without_code = deactivate(json!({"password": PASSWORD})).await;
    assert_eq!(without_code.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(without_code).await.field("two_factor_code").is_empty());
    let right = deactivate(json!({"password": PASSWORD, "two_factor_code": codes[0]})).await;
    assert_eq!(right.status(), StatusCode::NO_CONTENT);
    let rows: i64 = two_factor::table.count().get_result(&mut w.app.db()).unwrap();
    assert_eq!(rows, 0);
    let response = w.app.other_browser().sign_in(EMAIL, PASSWORD).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["two_factor_required"], false);
}

#[tokio::test]
async fn a_sign_in_from_an_unrecognized_browser_is_noticed_by_email_but_a_remembered_one_is_not() {
    let w = world().await;
    activate_by_email(&w).await;
    let notices = |w: &World| w.smtp.to(EMAIL).iter().filter(|m| m.data.contains("did not recognize")).count();
    assert_eq!(notices(&w), 0);

    let (browser, challenge) = first_step(&w).await;
    let code = w.smtp.wait_for_code(EMAIL, 2).await;
    browser.second_step(json!({"challenge": challenge, "code": code})).await;
    let notice = w.smtp.wait_for_matching(EMAIL, "did not recognize", 1).await;
    assert!(notice.data.contains("did not recognize") && notice.data.contains("127.0.0.1"), "{}", notice.data);

    // The same browser again: remembered, so no notice.
    browser.delete("/api/v1/session").await;
    let response = browser.sign_in(EMAIL, PASSWORD).await;
    let challenge = response.json::<Value>().await.unwrap()["challenge"].as_str().unwrap().to_string();
    let code = w.smtp.wait_for_code(EMAIL, 3).await;
    let response = browser.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(notices(&w), 1);
}

#[tokio::test]
async fn with_2fa_on_post_api_auth_takes_the_developer_key_not_the_password() {
    let w = world().await;
    let key: Value = w.app.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_string();
    activate_by_email(&w).await;
    let auth = |password: String| {
        let url = w.app.url("/api/auth");
        async move {
            crate::helpers::new_client()
                .post(url)
                .form(&[("tool", "dev"), ("login", EMAIL), ("password", password.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let with_password = auth(PASSWORD.to_string()).await;
    assert_eq!(with_password.status(), StatusCode::UNAUTHORIZED);
    assert!(with_password.text().await.unwrap().contains("developer key"));
    assert_eq!(auth(key).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_authenticator_app_is_set_up_from_a_qr_code_and_its_codes_sign_in() {
    let w = world().await;
    let response = w.app.post("/api/v1/me/two-factor", json!({"method": "totp"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let setup = &body["authenticator"];
    let secret_b32 = setup["secret"].as_str().unwrap();
    assert!(setup["otpauth_uri"].as_str().unwrap().contains(&format!("secret={secret_b32}")));
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let secret = data_encoding::BASE32_NOPAD.decode(secret_b32.as_bytes()).unwrap();
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();

    let wrong = w.app.post("/api/v1/me/two-factor/verify", json!({"code": "000000"})).await;
    if keydesk::auth::totp::code_at(&secret, now()) != "000000" {
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let code = keydesk::auth::totp::code_at(&secret, now());
    assert_eq!(w.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await.status(), StatusCode::OK);
    let me: Value = w.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"]["method"], "totp");
    assert_eq!(me["two_factor"]["destination_hint"], "your authenticator app");
    assert_eq!(codes_sent(&w), 0, "no code is sent for an authenticator app");
    let stored: String = two_factor::table.select(two_factor::destination).first(&mut w.app.db()).unwrap();
    assert!(!stored.contains(secret_b32), "the secret is sealed at rest");

    // An app's code is good once: the setup used this step's, so sign in with the next step's.
    let (browser, challenge) = first_step(&w).await;
    let code = keydesk::auth::totp::code_at(&secret, now() + 30);
    let response = browser.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_forgotten_device_is_unrecognized_at_its_next_sign_in() {
    let w = world().await;
    activate_by_email(&w).await;
    let devices: Value = w.app.get("/api/v1/me/devices").await.json().await.unwrap();
    let devices = devices.as_array().unwrap();
    assert_eq!(devices.len(), 1, "the browser that signed up");
    assert_eq!(devices[0]["current"], true);
    assert_eq!(devices[0]["ip"], "127.0.0.1");

    let id = devices[0]["id"].as_str().unwrap();
    assert_eq!(w.app.delete(&format!("/api/v1/me/devices/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(w.app.delete(&format!("/api/v1/me/devices/{id}")).await.status(), StatusCode::NOT_FOUND);

    // Signing in again from this same browser now brings the notice.
    let notices = |w: &World| w.smtp.to(EMAIL).iter().filter(|m| m.data.contains("did not recognize")).count();
    let response = w.app.sign_in(EMAIL, PASSWORD).await;
    let challenge = response.json::<Value>().await.unwrap()["challenge"].as_str().unwrap().to_string();
    let code = w.smtp.wait_for_code(EMAIL, 2).await;
    assert_eq!(w.app.second_step(json!({"challenge": challenge, "code": code})).await.status(), StatusCode::OK);
    w.smtp.wait_for_matching(EMAIL, "did not recognize", 1).await;
    assert_eq!(notices(&w), 1);
}

#[tokio::test]
async fn another_user_s_device_cannot_be_forgotten() {
    let w = world().await;
    let devices: Value = w.app.get("/api/v1/me/devices").await.json().await.unwrap();
    let id = devices[0]["id"].as_str().unwrap().to_string();
    let bob = w.app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.delete(&format!("/api/v1/me/devices/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_session_begun_with_a_second_factor_is_listed_as_such() {
    let w = world().await;
    let codes = activate_by_email(&w).await;
    let (browser, challenge) = first_step(&w).await;
    let response = browser.second_step(json!({"challenge": challenge, "recovery_code": codes[0]})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let listed: Vec<Value> = browser.get("/api/v1/me/sessions").await.json().await.unwrap();
    let current = listed.iter().find(|s| s["current"] == true).expect("the caller's own session");
    assert_eq!(current["auth_method"], "password_and_second_factor");
}

#[tokio::test]
async fn a_passkey_answers_the_second_step_once() {
    let w = world().await;
    activate_by_email(&w).await;
    let mut key = crate::passkeys::Authenticator::for_app(&w.app);
    let passkey = crate::passkeys::register(&w.app, &mut key, "Phone").await;

    let browser = w.app.other_browser();
    let first: Value = browser.sign_in(EMAIL, PASSWORD).await.json().await.unwrap();
    assert_eq!((first["two_factor_required"].as_bool(), first["passkey"].as_bool()), (Some(true), Some(true)));
    let challenge = first["challenge"].as_str().unwrap();
    let ceremony: Value = browser
        .post("/api/v1/session/two-factor/passkey-options", json!({"challenge": challenge}))
        .await
        .json()
        .await
        .unwrap();
    let credential = key.get(&ceremony["options"], passkey["credential_id"].as_str().unwrap(), None);
    let body = json!({"challenge": challenge, "ceremony": ceremony["ceremony"], "credential": credential});
    let response = browser.post("/api/v1/session/two-factor/passkey", body.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let signed_in: Value = response.json().await.unwrap();
    browser.remember_csrf(&signed_in);
    let sessions: Vec<Value> = browser.get("/api/v1/me/sessions").await.json().await.unwrap();
    assert_eq!(sessions.iter().find(|s| s["current"] == true).unwrap()["auth_method"], "password_and_second_factor");

    // The challenge is spent: neither the same answer nor the emailed code opens a second session.
    let thief = w.app.other_browser();
    assert_eq!(thief.post("/api/v1/session/two-factor/passkey", body).await.status(), StatusCode::UNAUTHORIZED);
    let code = w.smtp.wait_for_code(EMAIL, codes_sent(&w)).await;
    let again = thief.second_step(json!({"challenge": challenge, "code": code})).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_sign_in_code_is_sent_again_on_request_at_most_once_a_minute_and_only_the_newest_works() {
    let w = world().await;
    activate_by_email(&w).await;
    let (browser, challenge) = first_step(&w).await;
    let first = w.smtp.wait_for_code(EMAIL, codes_sent(&w)).await;
    let resend = || browser.post("/api/v1/session/two-factor/resend", json!({"challenge": challenge}));

    // Asking again at once would let anyone with the password flood the owner's inbox.
    let refused = resend().await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));

    let a_minute_ago = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(61);
    diesel::update(two_factor_codes::table)
        .set(two_factor_codes::sent_at.eq(a_minute_ago))
        .execute(&mut w.app.db())
        .unwrap();
    let before = codes_sent(&w);
    let sent = resend().await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert_eq!(sent.json::<Value>().await.unwrap()["destination_hint"], "a***@example.com");
    let second = w.smtp.wait_for_code(EMAIL, before + 1).await;
    assert_ne!(first, second);
    let old = browser.second_step(json!({"challenge": challenge, "code": first})).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY, "the earlier code no longer works");
    let new = browser.second_step(json!({"challenge": challenge, "code": second})).await;
    assert_eq!(new.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_code_cannot_be_sent_for_an_unknown_challenge() {
    let w = world().await;
    let response =
        w.app.other_browser().post("/api/v1/session/two-factor/resend", json!({"challenge": "made-up"})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
