//! Reset Password: changing the password under the policy.

use crate::helpers::{error_body, spawn_app, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "N3w+password";

fn change(current: &str, new: &str, confirmation: &str) -> serde_json::Value {
    json!({"current_password": current, "new_password": new, "new_password_confirmation": confirmation})
}

#[tokio::test]
async fn changing_the_password_makes_the_new_one_work_and_the_old_one_fail() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.put("/api/v1/me/password", change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let browser = app.other_browser();
    assert_eq!(browser.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(browser.sign_in("ann@example.com", NEW_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_weak_new_password_gets_422_naming_each_failed_rule() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.put("/api/v1/me/password", change(PASSWORD, "abc", "abc")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_body(response).await;
    let problems = body.field("new_password").join(" | ");
    assert!(problems.contains("7 characters"), "{problems}");
    assert!(problems.contains("number"), "{problems}");
    assert!(problems.contains("special"), "{problems}");
    assert!(!problems.contains("letter"), "abc has letters: {problems}");
}

#[tokio::test]
async fn the_new_password_must_differ_from_the_current_one() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.put("/api/v1/me/password", change(PASSWORD, PASSWORD, PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("new_password")[0].contains("differ"));
}

#[tokio::test]
async fn the_new_password_may_not_contain_the_email_name() {
    let app = spawn_app().await;
    app.signed_up("annabel@example.com").await;
    let response = app.put("/api/v1/me/password", change(PASSWORD, "x-Annabel-1", "x-Annabel-1")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("new_password")[0].contains("email"));
}

#[tokio::test]
async fn a_wrong_current_password_or_a_mismatched_confirmation_is_refused() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.put("/api/v1/me/password", change("Wrong-pass1", NEW_PASSWORD, "N3w+passw0rd")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_body(response).await;
    assert!(!body.field("current_password").is_empty());
    assert!(!body.field("new_password_confirmation").is_empty());
    assert_eq!(app.other_browser().sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_but_not_this_one() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let laptop = app.other_browser();
    assert_eq!(laptop.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);

    let response = app.put("/api/v1/me/password", change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(laptop.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);
}

/// Passwords that meet the seed's rules and are still among the most common (case ignored).
const COMMON_BUT_COMPLIANT: [&str; 2] = ["P@ssw0rd", "p@SSW0RD"];

#[tokio::test]
async fn a_common_password_is_refused_at_sign_up_even_though_it_meets_every_rule() {
    let app = spawn_app().await;
    for (n, password) in COMMON_BUT_COMPLIANT.into_iter().enumerate() {
        let response = app
            .post(
                "/api/v1/accounts",
                json!({"account_name": "Acme", "name": "Ann", "email": format!("ann{n}@example.com"), "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(error_body(response).await.field("password")[0].contains("most common"), "{password}");
    }
}

#[tokio::test]
async fn a_common_password_is_refused_as_a_new_password() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.put("/api/v1/me/password", change(PASSWORD, "P@ssw0rd", "P@ssw0rd")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("new_password")[0].contains("most common"));
}

#[tokio::test]
async fn a_64_character_passphrase_is_accepted() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let passphrase = format!("{}9!", &"correct horse battery staple ".repeat(3)[..62]);
    assert_eq!(passphrase.chars().count(), 64);
    let response = app.put("/api/v1/me/password", change(PASSWORD, &passphrase, &passphrase)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.other_browser().sign_in("ann@example.com", &passphrase).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_dashboard_can_fetch_the_same_list_the_server_checks() {
    let app = spawn_app().await;
    let response = app.get("/common-passwords.txt").await;
    assert_eq!(response.status(), StatusCode::OK);
    let list = response.text().await.unwrap();
    assert!(list.lines().count() >= 10_000);
    assert!(list.lines().any(|l| l == "p@ssw0rd"));
}
