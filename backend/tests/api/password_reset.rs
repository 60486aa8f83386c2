//! "Forgot password?": the link arrives for a real account and works once; the answer never tells
//! an account from none; and the asking is limited.

use crate::helpers::{spawn_app_mailing_to, PASSWORD};
use crate::peers::SmtpServer;
use reqwest::StatusCode;
use serde_json::json;

const NEW_PASSWORD: &str = "N3w-passw0rd!";

async fn ask(app: &crate::helpers::TestApp, email: &str) -> reqwest::Response {
    app.other_browser().post("/api/v1/password-reset", json!({"email": email})).await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_emailed_link_once() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up("ann@example.com").await;
    assert_eq!(ask(&app, "ANN@example.com").await.status(), StatusCode::ACCEPTED);
    let mail = smtp.wait_for_matching("ann@example.com", "set-password?token", 1).await.data;
    let mail = mail.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    assert!(mail.contains("If it was not you, ignore this email"), "{mail}");
    let start = mail.find("set-password?token=").unwrap() + "set-password?token=".len();
    let token: String =
        mail[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();

    let set = json!({"token": token, "new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD});
    assert_eq!(app.other_browser().post("/api/v1/password", set.clone()).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.other_browser().post("/api/v1/password", set).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the reset ended every session");
    assert_eq!(app.other_browser().sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.other_browser().sign_in("ann@example.com", NEW_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_answer_is_the_same_for_an_address_no_account_uses() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up("ann@example.com").await;
    let known = ask(&app, "ann@example.com").await;
    let unknown = ask(&app, "nobody@example.com").await;
    assert_eq!((known.status(), unknown.status()), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    smtp.wait_for_matching("ann@example.com", "set-password?token", 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(smtp.to("nobody@example.com").is_empty());
}

#[tokio::test]
async fn one_network_asking_too_often_gets_429_and_one_inbox_gets_at_most_three_links_an_hour() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    app.signed_up("ann@example.com").await;
    for _ in 0..10 {
        assert_eq!(ask(&app, "ann@example.com").await.status(), StatusCode::ACCEPTED);
    }
    let refused = ask(&app, "ann@example.com").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    smtp.wait_for_matching("ann@example.com", "set-password?token", 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.matching("ann@example.com", "set-password?token").len(), 3);
}

#[tokio::test]
async fn a_malformed_address_is_a_422() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(&smtp).await;
    let response = ask(&app, &format!("{}@example.com", "a".repeat(300))).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
