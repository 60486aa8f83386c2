//! Bad requests get clear 4xx answers in the contract's shape.

use crate::helpers::{error_body, spawn_app};
use reqwest::StatusCode;

#[tokio::test]
async fn unknown_api_routes_get_a_json_404() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_body(response).await.code, "not_found");
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_405() {
    let app = spawn_app().await;
    let response = app.client.put(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_body(response).await.code, "method_not_allowed");
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_body(response).await.code, "unsupported_media_type");
}

#[tokio::test]
async fn malformed_json_and_missing_fields_get_400() {
    let app = spawn_app().await;
    for body in ["{not json", r#"{"email": "a@b.co"}"#, r#"{"email": 5, "password": "x"}"#, "[]"] {
        let response = app
            .client
            .post(app.url("/api/v1/session"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_body(response).await.code, "bad_request");
    }
}

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let app = spawn_app().await;
    let huge = format!(r#"{{"email": "a@b.co", "password": "{}"}}"#, "x".repeat(100 * 1024));
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(response).await.code, "payload_too_large");
}

#[tokio::test]
async fn an_overlong_password_is_refused_before_any_hashing() {
    let app = spawn_app().await;
    let response = app.sign_in("a@b.co", &"x".repeat(300)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("password").is_empty());
}

/// A word in the database that names no role (a bad manual edit, a newer version's value) is an
/// error where it is read, never quietly taken for the weaker role or the test mode.
#[tokio::test]
async fn a_stored_word_the_server_does_not_know_is_an_error_not_a_default() {
    let app = crate::helpers::spawn_app().await;
    let user = app.signed_up("ann@example.com").await;
    use diesel::prelude::*;
    use keydesk::db::schema::users::dsl as u;
    diesel::update(u::users.filter(u::id.eq(user["id"].as_str().unwrap())))
        .set(u::role.eq("superuser"))
        .execute(&mut app.db())
        .unwrap();
    let response = app.other_browser().sign_in("ann@example.com", crate::helpers::PASSWORD).await;
    assert_eq!(response.status(), reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(crate::helpers::error_body(response).await.code, "internal_error");
}
