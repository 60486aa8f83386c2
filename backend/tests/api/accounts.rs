//! Sign-up.

use crate::helpers::{error_body, spawn_app, spawn_app_with, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn signing_up_creates_an_admin_who_is_signed_in() {
    let app = spawn_app().await;
    let response = app.sign_up("ann@example.com").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["user"]["account"]["name"], "Acme");
    assert!(body["csrf_token"].as_str().unwrap().len() >= 40);

    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ann@example.com");
    assert_eq!(me["name"], "Ann Example");
}

#[tokio::test]
async fn signing_up_names_every_invalid_field() {
    let app = spawn_app().await;
    let response = app
        .post("/api/v1/accounts", json!({"account_name": " ", "name": "", "email": "nope", "password": "short"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_body(response).await;
    assert_eq!(body.code, "validation_failed");
    for field in ["account_name", "name", "email", "password"] {
        assert!(!body.field(field).is_empty(), "{field} not named");
    }
    assert_eq!(body.field("password").len(), 3, "length, number and special rules: {:?}", body.field("password"));
}

#[tokio::test]
async fn signing_up_can_be_turned_off() {
    let app = spawn_app_with(|s| s.allow_signup = false).await;
    let response = app.sign_up("ann@example.com").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(response).await.code, "signup_disabled");
    let response = app.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
