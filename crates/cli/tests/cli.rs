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
    let foreign = shared::key_format::DEVELOPER_KEY.format(&[9; 32]);
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

#[tokio::test]
async fn tokens_are_created_listed_used_and_revoked_by_a_script() {
    let server = start().await;
    let key = key_for(&server, "ann@example.com").await;
    let output = cli(
        &server,
        &key,
        &["tokens", "create", "--name", "Nightly", "--scope", "profile:read", "--scope", "certificates:write"],
    )
    .await;
    assert!(!output.status.success(), "an expiry is required by default");
    let args = ["tokens", "create", "--name", "Nightly", "--scope", "profile:read", "--expires-in-days", "30"];
    let output = cli(&server, &key, &[&args[..], &["--network", "127.0.0.0/8"]].concat()).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let created: Value = serde_json::from_slice(&output.stdout).unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("kdt_"));
    assert_eq!(created["scopes"], json!({"profile": "read"}));

    // The token works in KEYDESK_KEY, within its scopes.
    let me = cli(&server, &token, &["me"]).await;
    assert!(me.status.success(), "{}", String::from_utf8_lossy(&me.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&me.stdout).unwrap()["email"], "ann@example.com");
    let refused = cli(&server, &token, &["tokens", "list"]).await;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("403"), "{}", String::from_utf8_lossy(&refused.stderr));

    let listed = cli(&server, &key, &["tokens", "list"]).await;
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["name"], "Nightly");
    assert!(!listed.to_string().contains(&token));
    let id = listed[0]["id"].as_str().unwrap();
    let revoked = cli(&server, &key, &["tokens", "revoke", id]).await;
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    assert!(!cli(&server, &token, &["me"]).await.status.success());

    let bad =
        cli(&server, &key, &["tokens", "create", "--name", "X", "--scope", "keys:write", "--expires-in-days", "1"])
            .await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("resource one of"));
}

#[tokio::test]
async fn a_mistyped_token_is_caught_before_any_request() {
    let server = start().await;
    let token = shared::key_format::ACCESS_TOKEN.format(&[9; 32]);
    let output = cli(&server, &token[..token.len() - 2], &["me"]).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("access token is mistyped"));
}
