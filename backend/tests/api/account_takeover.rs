//! Attacks on one person's sign-in, sent as an attacker would: guessing second-factor codes with a
//! known password, replaying an authenticator code, guessing the password through a stolen
//! session, and locking the owner out with wrong passwords.

use crate::helpers::{error_body, spawn_app_mailing_to, TestApp, PASSWORD};
use crate::peers::SmtpServer;
use diesel::prelude::*;
use keydesk::auth::totp::code_at;
use keydesk::db::schema::two_factor_codes;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const EMAIL: &str = "ann@example.com";

struct Victim {
    app: TestApp,
    smtp: SmtpServer,
    /// The authenticator app's secret, when 2FA is on with an app.
    secret: Vec<u8>,
    access_codes: Vec<String>,
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

async fn victim() -> Victim {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up(EMAIL).await;
    Victim { app, smtp, secret: Vec::new(), access_codes: Vec::new() }
}

/// Ann, with an authenticator app as her second factor (no code is sent, so no resend limit).
async fn victim_with_app() -> Victim {
    let mut v = victim().await;
    let setup: Value = v.app.post("/api/v1/me/two-factor", json!({"method": "totp"})).await.json().await.unwrap();
    v.secret =
        data_encoding::BASE32_NOPAD.decode(setup["authenticator"]["secret"].as_str().unwrap().as_bytes()).unwrap();
    let response = v.app.post("/api/v1/me/two-factor/verify", json!({"code": code_at(&v.secret, now())})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    v.access_codes = body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect();
    v
}

/// Ann, with codes by email.
async fn victim_with_email_codes() -> Victim {
    let mut v = victim().await;
    v.app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    let code = v.smtp.wait_for_code(EMAIL, 1).await;
    let body: Value = v.app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await.json().await.unwrap();
    v.access_codes = body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect();
    v
}

/// The attacker's first step with the known password: a fresh challenge.
async fn challenge(browser: &TestApp) -> String {
    let response = browser.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["two_factor_required"], true, "{body}");
    body["challenge"].as_str().unwrap().to_string()
}

fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[tokio::test]
async fn a_known_password_cannot_buy_endless_second_factor_guesses() {
    let v = victim_with_app().await;
    let attacker = v.app.other_browser();
    let mut answers = Vec::new();
    // Each correct password used to start a fresh challenge with five fresh tries.
    for _ in 0..4 {
        let challenge = challenge(&attacker).await;
        for _ in 0..5 {
            let guess = wrong_code(&code_at(&v.secret, now()));
            let response = attacker.second_step(json!({"challenge": challenge, "code": guess})).await;
            answers.push(response.status());
        }
    }
    let checked = answers.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
    assert_eq!(checked, 10, "{answers:?}");
    assert!(answers[10..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{answers:?}");

    // Now even the right code is refused for this user's second step, whatever the challenge.
    let challenge = challenge(&attacker).await;
    let right = code_at(&v.secret, now() + 30);
    let response = attacker.second_step(json!({"challenge": challenge, "code": right})).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn five_hundred_simultaneous_guesses_on_one_challenge_get_at_most_five_checks() {
    let v = victim_with_app().await;
    let attacker = v.app.other_browser();
    let challenge = challenge(&attacker).await;
    let guesses = (0..500).map(|i| {
        let body = json!({"challenge": challenge, "code": format!("{:06}", 100_000 + i)});
        let (client, url) = (attacker.client.clone(), attacker.url("/api/v1/session/two-factor"));
        tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status() })
    });
    let answers: Vec<StatusCode> =
        futures_util::future::join_all(guesses).await.into_iter().map(|r| r.unwrap()).collect();
    let checked = answers.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY || **s == StatusCode::OK).count();
    assert!(checked <= 5, "{checked} guesses were checked");
    assert!(answers.iter().all(|s| s.is_client_error() || *s == StatusCode::OK), "{answers:?}");
}

#[tokio::test]
async fn a_new_sign_in_replaces_the_live_challenge() {
    let v = victim_with_app().await;
    let attacker = v.app.other_browser();
    let first = challenge(&attacker).await;
    let _second = challenge(&attacker).await;
    let code = code_at(&v.secret, now() + 30);
    let response = attacker.second_step(json!({"challenge": first, "code": code})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the first challenge is void");
    let live: i64 = two_factor_codes::table.count().get_result(&mut v.app.db()).unwrap();
    assert_eq!(live, 1);
}

#[tokio::test]
async fn sign_in_codes_by_email_are_sent_at_most_once_a_minute() {
    let v = victim_with_email_codes().await;
    let attacker = v.app.other_browser();
    challenge(&attacker).await;
    let again = attacker.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(again.headers().contains_key("retry-after"));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(v.smtp.matching(EMAIL, "verification code is").len(), 2, "the activation's and one sign-in's");
}

#[tokio::test]
async fn wrong_second_factor_codes_are_in_the_security_log() {
    let v = victim_with_app().await;
    let attacker = v.app.other_browser();
    let challenge = challenge(&attacker).await;
    let guess = wrong_code(&code_at(&v.secret, now()));
    attacker.second_step(json!({"challenge": challenge, "code": guess})).await;
    let log: Value = v.app.get("/api/v1/me/security-events").await.json().await.unwrap();
    let kinds: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"two_factor_failed"), "{kinds:?}");
}

#[tokio::test]
async fn an_authenticator_code_is_good_once() {
    let v = victim_with_app().await;
    let owner = v.app.other_browser();
    let code = code_at(&v.secret, now() + 30);
    let response = owner.second_step(json!({"challenge": challenge(&owner).await, "code": code})).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Someone who saw the code replays it within its 90 seconds.
    let attacker = v.app.other_browser();
    let response = attacker.second_step(json!({"challenge": challenge(&attacker).await, "code": code})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(attacker.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

/// Each way a signed-in caller can submit the password, with a wrong one.
fn password_checks(wrong: &str) -> Vec<(Method, &'static str, Value)> {
    vec![
        (Method::PATCH, "/api/v1/me", json!({"email": "mallory@example.com", "current_password": wrong})),
        (
            Method::PUT,
            "/api/v1/me/password",
            json!({"current_password": wrong, "new_password": "An0ther-pass", "new_password_confirmation": "An0ther-pass"}),
        ),
        (Method::POST, "/api/v1/me/two-factor/recovery-codes", json!({"password": wrong})),
        (Method::DELETE, "/api/v1/me/two-factor", json!({"password": wrong})),
    ]
}

#[tokio::test]
async fn a_stolen_session_cannot_guess_the_password_through_any_form() {
    for index in 0..password_checks("").len() {
        let v = victim_with_app().await;
        let thief = &v.app;
        let mut answers = Vec::new();
        for i in 0..12 {
            let (method, path, body) = password_checks(&format!("Guess-{i}!"))[index].clone();
            answers.push(thief.request(method, path, Some(body)).await.status());
        }
        let path = password_checks("")[index].1;
        assert!(answers[..10].iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY), "{path}: {answers:?}");
        assert!(answers[10..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{path}: {answers:?}");
    }
}

#[tokio::test]
async fn changing_the_email_with_2fa_on_needs_a_current_second_factor() {
    let v = victim_with_app().await;
    let change = json!({"email": "mallory@example.com", "current_password": PASSWORD});
    let response = v.app.patch("/api/v1/me", change).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("two_factor_code").is_empty());
    let me: Value = v.app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], EMAIL);

    let change = json!({"email": "ann@new.example.com", "current_password": PASSWORD,
        "two_factor_code": code_at(&v.secret, now() + 30)});
    assert_eq!(v.app.patch("/api/v1/me", change).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn changing_the_method_with_2fa_on_needs_a_current_second_factor_sent_on_request() {
    let v = victim_with_email_codes().await;
    let change = json!({"method": "totp"});
    assert_eq!(v.app.post("/api/v1/me/two-factor", change).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let sent = v.app.post("/api/v1/me/two-factor/confirmation-code", json!({})).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let code = v.smtp.wait_for_code(EMAIL, 2).await;
    let change = json!({"method": "totp", "two_factor_code": code});
    assert_eq!(v.app.post("/api/v1/me/two-factor", change.clone()).await.status(), StatusCode::OK);
    // The code was used up.
    let again = v.app.post("/api/v1/me/two-factor", change).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!v.access_codes.is_empty());
}

#[tokio::test]
async fn strangers_cannot_lock_the_owner_out_of_a_browser_that_signed_in_before() {
    let v = victim().await;
    let owner = &v.app; // signed up here: this browser is remembered
    owner.delete("/api/v1/session").await;
    for i in 0..11 {
        v.app.other_browser().sign_in(EMAIL, &format!("Guess-{i}!")).await;
    }
    let stranger = v.app.other_browser().sign_in(EMAIL, PASSWORD).await;
    assert_eq!(stranger.status(), StatusCode::TOO_MANY_REQUESTS, "unknown browsers stay locked");
    let response = owner.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "the owner's own browser is let past the email's lock");
}
