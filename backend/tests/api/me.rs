//! Profile: name and email (User Information).

use crate::helpers::{error_body, spawn_app, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_user_can_change_their_name() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.patch("/api/v1/me", json!({"name": "  Ann Other "})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["name"], "Ann Other");
}

#[tokio::test]
async fn changing_email_needs_the_current_password() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;

    let response = app.patch("/api/v1/me", json!({"email": "ann@new.example"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("current_password").is_empty());

    let response =
        app.patch("/api/v1/me", json!({"email": "ann@new.example", "current_password": "Wrong-pass1"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("current_password").is_empty());

    let response = app.patch("/api/v1/me", json!({"email": "ann@new.example", "current_password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.other_browser().sign_in("ann@new.example", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.other_browser().sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_only_the_email_s_letter_case_needs_no_password() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app.patch("/api/v1/me", json!({"email": "Ann@Example.com"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["email"], "Ann@Example.com");
}

#[tokio::test]
async fn an_email_taken_by_another_user_in_any_case_is_a_conflict() {
    let app = spawn_app().await;
    app.other_browser().signed_up("bob@example.com").await;
    app.signed_up("ann@example.com").await;
    let response = app.patch("/api/v1/me", json!({"email": "BOB@example.com", "current_password": PASSWORD})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(response).await.code, "email_taken");
}

#[tokio::test]
async fn invalid_fields_are_refused_and_nothing_changes() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = app
        .patch("/api/v1/me", json!({"name": "x".repeat(101), "email": "not-an-email", "current_password": PASSWORD}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_body(response).await;
    assert!(!body.field("name").is_empty() && !body.field("email").is_empty());
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!((me["name"].as_str(), me["email"].as_str()), (Some("Ann Example"), Some("ann@example.com")));
}
