//! Admin options: adding users by invitation, editing them, the last-admin rule, deactivation, password
//! resets, and the account's company details.

use crate::helpers::{error_body, spawn_app_mailing_to, TestApp, PASSWORD};
use crate::peers::SmtpServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "N3w-passw0rd!";

/// Ann, the admin, signed in; mail goes to a real SMTP server on loopback.
async fn admin_with_mail() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up("ann@example.com").await;
    (app, smtp)
}

/// The link's token from the nth set-password mail to `to`.
async fn link_token(smtp: &SmtpServer, to: &str, n: usize) -> String {
    smtp.wait_for_link(to, "set-password", n).await
}

async fn add_sam(app: &TestApp, admin: bool) -> Value {
    let body = json!({"first_name": "Sam", "last_name": "Smith", "email": "sam@example.com", "admin": admin,
        "can_create": true, "can_share": false});
    let response = app.post("/api/v1/users", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.other_browser()
        .post(
            "/api/v1/password",
            json!({"token": token, "new_password": password, "new_password_confirmation": password}),
        )
        .await
}

#[tokio::test]
async fn an_added_user_sets_a_password_from_the_email_and_signs_in() {
    let (app, smtp) = admin_with_mail().await;
    let sam = add_sam(&app, false).await;
    assert_eq!((sam["name"].as_str(), sam["admin"].as_bool()), (Some("Sam Smith"), Some(false)));
    assert_eq!((sam["can_create"].as_bool(), sam["can_share"].as_bool()), (Some(true), Some(false)));
    assert_eq!(sam["invited"], true, "invited until a password is chosen");
    let token = link_token(&smtp, "sam@example.com", 1).await;
    let browser = app.other_browser();
    let response = browser.sign_in("sam@example.com", "anything").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "no password works before Sam sets one");

    let response = set_password(&app, &token, "weak").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = set_password(&app, &token, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "the link was spent by the first try");

    app.post(&format!("/api/v1/users/{}/password-reset", sam["id"].as_str().unwrap()), json!({})).await;
    let token = link_token(&smtp, "sam@example.com", 2).await;
    assert_eq!(set_password(&app, &token, NEW_PASSWORD).await.status(), StatusCode::NO_CONTENT);
    let response = browser.sign_in("sam@example.com", NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["role"], "standard");
    let listed: Value = app.get("/api/v1/users").await.json().await.unwrap();
    let sam = listed.as_array().unwrap().iter().find(|u| u["email"] == "sam@example.com").unwrap().clone();
    assert!(sam["last_sign_in_at"].is_string(), "the list shows the last sign-in");
    assert_eq!(sam["invited"], false);
}

#[tokio::test]
async fn emails_verified_in_another_account_are_taken_and_fields_are_checked() {
    let (app, smtp) = admin_with_mail().await;
    let bob = app.other_browser();
    bob.signed_up_verified("bob@example.com", &smtp).await;
    let body = json!({"first_name": "Bob", "last_name": "Again", "email": "BOB@example.com"});
    let response = app.post("/api/v1/users", body).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(response).await.code, "email_taken");
    let response = app.post("/api/v1/users", json!({"first_name": "", "last_name": "X", "email": "nope"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_body(response).await;
    assert!(!body.field("first_name").is_empty() && !body.field("email").is_empty());
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_deactivated_or_deleted() {
    let (app, _smtp) = admin_with_mail().await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let path = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
    for change in [json!({"admin": false}), json!({"active": false})] {
        let response = app.patch(&path, change).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(error_body(response).await.code, "last_admin");
    }
    assert_eq!(app.delete(&path).await.status(), StatusCode::CONFLICT);
    // With a second admin, the first may step down.
    add_sam(&app, true).await;
    assert_eq!(app.patch(&path, json!({"admin": false})).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_deactivated_user_s_session_and_developer_key_stop_at_once_and_come_back_on_reactivation() {
    let (app, smtp) = admin_with_mail().await;
    let sam = add_sam(&app, false).await;
    let token = link_token(&smtp, "sam@example.com", 1).await;
    assert_eq!(set_password(&app, &token, NEW_PASSWORD).await.status(), StatusCode::NO_CONTENT);
    let browser = app.other_browser();
    assert_eq!(browser.sign_in("sam@example.com", NEW_PASSWORD).await.status(), StatusCode::OK);
    let key: Value = browser.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_string();
    let with_key = || app.client.get(app.url("/api/v1/me")).bearer_auth(&key).send();
    assert_eq!(with_key().await.unwrap().status(), StatusCode::OK);

    let path = format!("/api/v1/users/{}", sam["id"].as_str().unwrap());
    let response = app.patch(&path, json!({"active": false, "can_share": true, "first_name": "Samuel"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!((updated["active"].as_bool(), updated["name"].as_str()), (Some(false), Some("Samuel Smith")));
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the session stopped");
    assert_eq!(with_key().await.unwrap().status(), StatusCode::UNAUTHORIZED, "the developer key stopped");
    assert_eq!(browser.sign_in("sam@example.com", NEW_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);

    assert_eq!(app.patch(&path, json!({"active": true})).await.status(), StatusCode::OK);
    assert_eq!(with_key().await.unwrap().status(), StatusCode::OK, "the key works again once reactivated");
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(with_key().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admins_edit_the_account_s_company_details_and_everyone_reads_them() {
    let (app, smtp) = admin_with_mail().await;
    let details = json!({"company_name": "Acme Voice Ltd", "address": "1 Main St", "city": "Springfield",
        "state": "IL", "zip": "62701", "phone": "+1 (217) 555-0100"});
    let response = app.put("/api/v1/account", details.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/account").await.json::<Value>().await.unwrap(), details);
    let response = app.put("/api/v1/account", json!({"phone": "call me"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    add_sam(&app, false).await;
    let token = link_token(&smtp, "sam@example.com", 1).await;
    set_password(&app, &token, PASSWORD).await;
    let sam = app.other_browser();
    assert_eq!(sam.sign_in("sam@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(sam.get("/api/v1/account").await.json::<Value>().await.unwrap(), details);
    assert_eq!(sam.put("/api/v1/account", details).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(sam.get("/api/v1/users").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_invitation_names_the_account_and_the_admin_who_sent_it() {
    let (app, smtp) = admin_with_mail().await;
    add_sam(&app, false).await;
    let mail = smtp.wait_for_matching("sam@example.com", "set-password", 1).await;
    let text = mail.data.replace("=\r\n", "").replace("=\n", "");
    assert!(text.contains("Ann Example (ann@example.com) added you"), "{text}");
    assert!(text.contains("Keydesk account \"Acme\""), "{text}");
}
