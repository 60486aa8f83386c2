//! The CLI against a real server: the way a script uses it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keydesk::config::Settings;
use keydesk::startup::Application;
use serde_json::{json, Value};
use std::process::{Command, Output};

struct Server {
    url: String,
    _data: tempfile::TempDir,
}

async fn start() -> Server {
    let data = tempfile::tempdir().unwrap();
    let app = Application::build(Settings::for_tests(data.path().to_path_buf(), None)).await.unwrap();
    let url = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Server { url, _data: data }
}

/// Signs up and returns a developer key.
async fn key_for(server: &Server, email: &str) -> String {
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let body = json!({"account_name": "Acme", "name": "Ann", "email": email, "password": "Sup3r-secret!"});
    let signed_up: Value =
        http.post(format!("{}/api/v1/accounts", server.url)).json(&body).send().await.unwrap().json().await.unwrap();
    let csrf = signed_up["csrf_token"].as_str().unwrap();
    let key: Value = http
        .post(format!("{}/api/v1/me/developer-key", server.url))
        .header("X-CSRF-Token", csrf)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    key["key"].as_str().unwrap().to_string()
}

async fn cli(server: &Server, key: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keydesk-cli"));
    command.args(args).env("KEYDESK_URL", &server.url).env("KEYDESK_KEY", key);
    tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap()
}

#[tokio::test]
async fn me_prints_the_key_owner_as_json() {
    let server = start().await;
    let key = key_for(&server, "ann@example.com").await;
    let output = cli(&server, &key, &["me"]).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let me: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(me["email"], "ann@example.com");
    assert_eq!(me["developer_key"]["exists"], true);
}

#[tokio::test]
async fn a_rejected_key_exits_non_zero_with_the_server_s_message() {
    let server = start().await;
    key_for(&server, "ann@example.com").await;
    let foreign = shared::v1::format_developer_key(&[9; 32]);
    let output = cli(&server, &foreign, &["me"]).await;
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not valid"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn a_mistyped_key_is_caught_before_any_request() {
    let server = start().await;
    let output = cli(&server, "kd_abc", &["me"]).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("mistyped"));
}

#[tokio::test]
async fn api_credentials_can_be_listed_and_revoked() {
    let server = start().await;
    let key = key_for(&server, "ann@example.com").await;
    let form = [("tool", "dev"), ("login", "ann@example.com"), ("password", key.as_str())];
    let response = reqwest::Client::new().post(format!("{}/api/auth", server.url)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);

    let output = cli(&server, &key, &["api-credentials", "list"]).await;
    let list: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let output = cli(&server, &key, &["api-credentials", "revoke", &id]).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = cli(&server, &key, &["api-credentials", "list"]).await;
    assert_eq!(serde_json::from_slice::<Value>(&output.stdout).unwrap(), json!([]));
}
