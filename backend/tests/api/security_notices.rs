//! Security notices by email: the owner hears of every change to how they sign in (ASVS 6.3.7),
//! and credentials end when the events meant to end them happen.

use crate::helpers::{spawn_app_mailing_to, TestApp, PASSWORD};
use crate::peers::SmtpServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const EMAIL: &str = "ann@example.com";

async fn world() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up(EMAIL).await;
    (app, smtp)
}

async fn notice(smtp: &SmtpServer, to: &str, subject: &str) -> String {
    smtp.wait_for_matching(to, &format!("Subject: {subject}"), 1).await.data
}

async fn api_auth(app: &TestApp) -> reqwest::Response {
    let form = [("tool", "dev"), ("login", EMAIL), ("password", PASSWORD)];
    crate::helpers::new_client().post(app.url("/api/auth")).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn a_password_change_is_noticed_with_where_it_came_from() {
    let (app, smtp) = world().await;
    let change = json!({"current_password": PASSWORD, "new_password": "An0ther-pass", "new_password_confirmation": "An0ther-pass"});
    assert_eq!(app.put("/api/v1/me/password", change).await.status(), StatusCode::NO_CONTENT);
    let mail = notice(&smtp, EMAIL, "Your Keydesk password was changed").await;
    assert!(mail.contains("127.0.0.1"), "{mail}");
}

#[tokio::test]
async fn an_email_change_is_noticed_at_the_old_address_with_the_new_one_masked() {
    let (app, smtp) = world().await;
    let change = json!({"email": "mallory@evil.example", "current_password": PASSWORD});
    assert_eq!(app.patch("/api/v1/me", change).await.status(), StatusCode::OK);
    let mail = notice(&smtp, EMAIL, "Your Keydesk email address was changed").await;
    assert!(mail.contains("m***@evil.example") && !mail.contains("mallory@"), "{mail}");
}

#[tokio::test]
async fn two_factor_changes_and_new_access_codes_are_noticed() {
    let (app, smtp) = world().await;
    app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    let code = smtp.wait_for_code(EMAIL, 1).await;
    let body: Value = app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await.json().await.unwrap();
    notice(&smtp, EMAIL, "Two-factor authentication is on").await;
    let codes: Vec<String> =
        body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect();

    let renew = app.post("/api/v1/me/two-factor/recovery-codes", json!({"password": PASSWORD})).await;
    assert_eq!(renew.status(), StatusCode::OK);
    notice(&smtp, EMAIL, "New one-time access codes were made").await;
    let codes_now: Value = renew.json().await.unwrap();
    let access_code = codes_now["recovery_codes"][0].as_str().unwrap();
    assert_ne!(access_code, codes[0]);

    let change = json!({"method": "email", "destination": "ann@other.example", "two_factor_code": access_code});
    assert_eq!(app.post("/api/v1/me/two-factor", change).await.status(), StatusCode::OK);
    let code = smtp.wait_for_code("ann@other.example", 1).await;
    let verified = app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(verified.status(), StatusCode::OK);
    notice(&smtp, EMAIL, "Your two-factor authentication was changed").await;
    // The change made a new set of access codes.
    let codes_now: Value = verified.json().await.unwrap();

    let body = json!({"password": PASSWORD, "two_factor_code": codes_now["recovery_codes"][1]});
    let off = app.request(Method::DELETE, "/api/v1/me/two-factor", Some(body)).await;
    assert_eq!(off.status(), StatusCode::NO_CONTENT);
    notice(&smtp, EMAIL, "Two-factor authentication is off").await;
}

#[tokio::test]
async fn developer_key_generation_and_showing_are_noticed() {
    let (app, smtp) = world().await;
    assert_eq!(app.post("/api/v1/me/developer-key", json!({})).await.status(), StatusCode::CREATED);
    notice(&smtp, EMAIL, "A new Keydesk developer key").await;
    assert_eq!(app.post("/api/v1/me/developer-key/reveal", json!({})).await.status(), StatusCode::OK);
    notice(&smtp, EMAIL, "Your Keydesk developer key was shown").await;
}

#[tokio::test]
async fn api_credentials_from_a_new_address_are_noticed_once() {
    let (app, smtp) = world().await;
    assert_eq!(api_auth(&app).await.status(), StatusCode::OK);
    notice(&smtp, EMAIL, "API credentials issued to a new address").await;
    assert_eq!(api_auth(&app).await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.matching(EMAIL, "API credentials issued to a new address").len(), 1);
}

#[tokio::test]
async fn a_password_change_may_keep_the_other_sessions_when_asked() {
    let (app, _smtp) = world().await;
    let laptop = app.other_browser();
    assert_eq!(laptop.sign_in(EMAIL, PASSWORD).await.status(), StatusCode::OK);
    let change = json!({"current_password": PASSWORD, "new_password": "An0ther-pass",
        "new_password_confirmation": "An0ther-pass", "end_other_sessions": false});
    assert_eq!(app.put("/api/v1/me/password", change).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(laptop.get("/api/v1/me").await.status(), StatusCode::OK);

    // By default they end.
    let change = json!({"current_password": "An0ther-pass", "new_password": "Th1rd-pass!",
        "new_password_confirmation": "Th1rd-pass!"});
    assert_eq!(app.put("/api/v1/me/password", change).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(laptop.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn turning_2fa_on_ends_the_sessions_and_api_credentials_issued_without_it() {
    let (app, smtp) = world().await;
    let stolen = app.other_browser();
    assert_eq!(stolen.sign_in(EMAIL, PASSWORD).await.status(), StatusCode::OK);
    let credentials: Value = api_auth(&app).await.json().await.unwrap();
    let (login, secret) = (credentials["login"].as_str().unwrap(), credentials["password"].as_str().unwrap());

    app.post("/api/v1/me/two-factor", json!({"method": "email", "destination": EMAIL})).await;
    let code = smtp.wait_for_code(EMAIL, 1).await;
    assert_eq!(app.post("/api/v1/me/two-factor/verify", json!({"code": code})).await.status(), StatusCode::OK);

    assert_eq!(stolen.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    let basic = crate::helpers::new_client().get(app.url("/api/v1/me")).basic_auth(login, Some(secret));
    assert_eq!(basic.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK, "the caller's own session stays");
}

#[tokio::test]
async fn a_password_reset_by_link_revokes_the_developer_key() {
    let (app, smtp) = world().await;
    let key: Value = app.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_string();
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let id = me["id"].as_str().unwrap();
    // The admin (Ann herself, the account's first user) sends her a reset link.
    let sent = app.post(&format!("/api/v1/users/{id}/password-reset"), json!({})).await;
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    let mail = smtp.wait_for_matching(EMAIL, "set-password?token", 1).await.data;
    let mail = mail.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    let start = mail.find("set-password?token=").unwrap() + "set-password?token=".len();
    let token: String =
        mail[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let set = json!({"token": token, "new_password": "An0ther-pass", "new_password_confirmation": "An0ther-pass"});
    assert_eq!(app.other_browser().post("/api/v1/password", set).await.status(), StatusCode::NO_CONTENT);

    let script = crate::helpers::new_client().get(app.url("/api/v1/me")).bearer_auth(&key);
    assert_eq!(script.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    notice(&smtp, EMAIL, "Your Keydesk password was changed").await;
}
