//! `keydesk admin ...`, run as the operator would.

use crate::helpers::{spawn_app, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;
use std::process::Command;

pub fn keydesk(app: &crate::helpers::TestApp) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keydesk"));
    cmd.env("KEYDESK_DATA_DIR", app.data_dir.path()).env("KEYDESK_NEW_PASSWORD", PASSWORD).env_remove("DATABASE_URL");
    if app.database.contains("://") {
        cmd.env("DATABASE_URL", &app.database);
    }
    cmd
}

#[tokio::test]
async fn an_operator_can_create_an_account_and_its_admin() {
    let app = spawn_app().await;
    let output = keydesk(&app)
        .args(["admin", "create-user", "--email", "op@example.com", "--name", "Op", "--account-name", "Ops"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let response = app.sign_in("op@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["user"]["account"]["name"], "Ops");
}

#[tokio::test]
async fn an_operator_can_add_a_standard_user_to_an_account() {
    let app = spawn_app().await;
    let admin = app.signed_up("ann@example.com").await;
    let account_id = admin["account"]["id"].as_str().unwrap();
    let output = keydesk(&app)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam"])
        .args(["--account-id", account_id, "--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let body: Value = app.other_browser().sign_in("sam@example.com", PASSWORD).await.json().await.unwrap();
    assert_eq!(body["user"]["role"], "standard");
    assert_eq!(body["user"]["account"]["id"], account_id);
}

#[tokio::test]
async fn the_operator_command_refuses_a_weak_password_and_says_why() {
    let app = spawn_app().await;
    let output = keydesk(&app)
        .env("KEYDESK_NEW_PASSWORD", "weak")
        .args(["admin", "create-user", "--email", "op@example.com", "--name", "Op", "--account-name", "Ops"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("password"));
}

#[tokio::test]
async fn an_operator_enables_stripe_for_an_account_by_id_or_name() {
    let app = spawn_app().await;
    let admin = app.signed_up("ann@example.com").await;
    let account_id = admin["account"]["id"].as_str().unwrap();
    let output = keydesk(&app).args(["admin", "account", "enable-stripe", "Acme"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(status_once_seen(&app, "/api/v1/oauth-tokens", StatusCode::OK).await, StatusCode::OK);
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["account"]["stripe_enabled"], true);
    let output = keydesk(&app).args(["admin", "account", "disable-stripe", account_id]).output().unwrap();
    assert!(output.status.success());
    let status = status_once_seen(&app, "/api/v1/oauth-tokens", StatusCode::NOT_FOUND).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let output = keydesk(&app).args(["admin", "account", "enable-stripe", "No such"]).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no account"));
}

/// The status of `path` once the server has seen another process's change: on PostgreSQL its change
/// notice arrives within milliseconds (README: never later than the one second a remembered entry
/// lives), so this asks again until it answers `expected` or two seconds have passed.
async fn status_once_seen(app: &crate::helpers::TestApp, path: &str, expected: StatusCode) -> StatusCode {
    let mut status = app.get(path).await.status();
    for _ in 0..100 {
        if status == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        status = app.get(path).await.status();
    }
    status
}
