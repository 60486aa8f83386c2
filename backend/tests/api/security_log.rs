//! The security log: events are recorded with time, user, address and browser; users read their own,
//! admins the whole account's, filtered and paged.

use crate::admin_cli::keydesk;
use crate::helpers::{spawn_app, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn kinds(app: &TestApp, path: &str) -> Vec<String> {
    let page: Value = app.get(path).await.json().await.unwrap();
    page["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_user_s_own_events_are_recorded_newest_first_with_address_and_browser() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    assert_eq!(app.sign_in("ann@example.com", "Wrong-passw0rd!").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    app.post("/api/v1/me/developer-key", json!({})).await;
    app.post("/api/v1/me/developer-key/reveal", json!({})).await;
    let change = json!({"current_password": PASSWORD, "new_password": "An0ther-pass!", "new_password_confirmation": "An0ther-pass!"});
    assert_eq!(app.put("/api/v1/me/password", change).await.status(), StatusCode::NO_CONTENT);

    let page: Value = app.get("/api/v1/me/security-events").await.json().await.unwrap();
    let events = page["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["password_changed", "developer_key_shown", "developer_key_generated", "sign_in", "sign_in_failed", "sign_in"]
    );
    assert_eq!(events[0]["ip"], "127.0.0.1");
    assert_eq!(events[0]["user_name"], "Ann Example");
    assert!(events[0]["at"].is_string());
    assert!(events[2]["detail"].as_str().unwrap().starts_with("key kd_"), "{}", events[2]);

    let page: Value = app.get("/api/v1/me/security-events?per_page=2&page=2").await.json().await.unwrap();
    assert_eq!((page["total"].as_u64(), page["page"].as_u64()), (Some(6), Some(2)));
    let second: Vec<&str> = page["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(second, ["developer_key_generated", "sign_in"]);
    assert_eq!(app.get("/api/v1/me/security-events?kind=nonsense").await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn admins_read_the_whole_account_s_log_filtered_and_standard_users_only_their_own() {
    let ann = spawn_app().await;
    let account_id = ann.signed_up("ann@example.com").await["account"]["id"].as_str().unwrap().to_string();
    let output = keydesk(&ann)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam", "--account-id", &account_id])
        .args(["--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let sam = ann.other_browser();
    let sam_id = sam.sign_in("sam@example.com", PASSWORD).await.json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let library: Value =
        sam.post("/api/v1/js-libraries", json!({"name": "Utils", "code": "var a;"})).await.json().await.unwrap();
    sam.put(
        &format!("/api/v1/js-libraries/{}", library["id"].as_str().unwrap()),
        json!({"name": "Utils 2", "code": "var b;"}),
    )
    .await;
    ann.post(
        "/api/v1/integrations",
        json!({"name": "Hooks", "type": "rest", "config": {
        "base_url": "https://hooks.example.com", "auth_header_name": "X-Key", "auth_header_value": "v"}}),
    )
    .await;
    ann.patch(&format!("/api/v1/users/{sam_id}"), json!({"admin": true})).await;

    let all = kinds(&ann, "/api/v1/security-events").await;
    for kind in ["library_added", "library_changed", "integration_added", "user_changed", "role_changed", "sign_in"] {
        assert!(all.contains(&kind.to_string()), "{kind} missing from {all:?}");
    }
    let sams = kinds(&ann, &format!("/api/v1/security-events?user_id={sam_id}")).await;
    assert_eq!(sams, ["library_changed", "library_added", "sign_in"]);
    let sign_ins = kinds(&ann, "/api/v1/security-events?kind=sign_in").await;
    assert!(sign_ins.iter().all(|k| k == "sign_in") && sign_ins.len() == 2, "{sign_ins:?}");
    let role: Value = ann.get("/api/v1/security-events?kind=role_changed").await.json().await.unwrap();
    assert_eq!(role["events"][0]["detail"], "sam@example.com is now an admin");

    // Sam (an admin now) sees the account's log; before, only his own. Another account sees nothing of it.
    let bob = ann.other_browser();
    bob.signed_up("bob@example.com").await;
    let bobs = kinds(&bob, "/api/v1/security-events").await;
    assert_eq!(bobs, ["sign_in"], "only Bob's own account's events");
    let mine = kinds(&sam, "/api/v1/me/security-events").await;
    assert!(mine.iter().all(|k| k != "integration_added"), "a user's own log holds only their events: {mine:?}");
}

#[tokio::test]
async fn standard_users_cannot_read_the_account_s_log() {
    let ann = spawn_app().await;
    let account_id = ann.signed_up("ann@example.com").await["account"]["id"].as_str().unwrap().to_string();
    let output = keydesk(&ann)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam", "--account-id", &account_id])
        .args(["--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let sam = ann.other_browser();
    assert_eq!(sam.sign_in("sam@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(sam.get("/api/v1/security-events").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(kinds(&sam, "/api/v1/me/security-events").await, ["sign_in"]);
}
