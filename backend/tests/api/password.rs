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
