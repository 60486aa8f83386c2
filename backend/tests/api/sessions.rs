//! Where a user is signed in: seeing the sessions, ending one or all others, and an admin
//! signing a user out everywhere. Each test is what a user (or an attacker) would send.

use crate::helpers::{new_client, spawn_app, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::Value;

const FIREFOX_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_ON_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async fn sessions(app: &TestApp, path: &str) -> Vec<Value> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// Ann signed up in one browser, and signed in from Firefox on Linux.
async fn ann_in_two_browsers() -> (TestApp, TestApp) {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let firefox = app.browser_as(FIREFOX_ON_LINUX);
    assert_eq!(firefox.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    (app, firefox)
}

async fn events(app: &TestApp, path: &str) -> Vec<Value> {
    let page: Value = app.get(path).await.json().await.unwrap();
    page["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_list_names_each_browser_and_marks_the_callers_own() {
    let (_ann, firefox) = ann_in_two_browsers().await;
    let listed = sessions(&firefox, "/api/v1/me/sessions").await;
    assert_eq!(listed.len(), 2);
    let newest = &listed[0];
    assert_eq!(newest["current"], true, "newest activity first: the caller's own sign-in");
    assert_eq!(newest["browser"], "Firefox 133 on Linux");
    assert_eq!(newest["user_agent"], FIREFOX_ON_LINUX);
    assert_eq!(newest["auth_method"], "password");
    assert_eq!(newest["ip"], "127.0.0.1");
    assert!(newest["created_at"].is_string() && newest["last_active_at"].is_string());
    assert_eq!(listed[1]["current"], false);
    assert_ne!(listed[0]["id"], listed[1]["id"]);
}

#[tokio::test]
async fn an_ended_session_is_refused_at_its_next_request_and_the_log_says_who_ended_it() {
    let (app, firefox) = ann_in_two_browsers().await;
    let listed = sessions(&app, "/api/v1/me/sessions").await;
    let theirs = listed.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(app.delete(&format!("/api/v1/me/sessions/{theirs}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(firefox.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(app.delete(&format!("/api/v1/me/sessions/{theirs}")).await.status(), StatusCode::NOT_FOUND);

    let logged = events(&app, "/api/v1/me/security-events?kind=session_ended").await;
    assert_eq!(logged.len(), 1);
    assert!(logged[0]["detail"].as_str().unwrap().contains("Firefox 133 on Linux"), "{}", logged[0]);
}

#[tokio::test]
async fn nobody_can_end_another_users_session_by_its_id() {
    let (ann, firefox) = ann_in_two_browsers().await;
    let anns = sessions(&firefox, "/api/v1/me/sessions").await[0]["id"].as_str().unwrap().to_string();
    let mallory = ann.other_browser();
    mallory.signed_up("mallory@example.com").await;
    let response = mallory.delete(&format!("/api/v1/me/sessions/{anns}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(firefox.get("/api/v1/me").await.status(), StatusCode::OK, "Ann's session lives on");
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_the_callers_session() {
    let (app, firefox) = ann_in_two_browsers().await;
    let chrome = app.browser_as(CHROME_ON_WINDOWS);
    assert_eq!(chrome.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(chrome.delete("/api/v1/me/sessions").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(firefox.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    let left = sessions(&chrome, "/api/v1/me/sessions").await;
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0]["current"].as_bool(), left[0]["browser"].as_str()),
        (Some(true), Some("Chrome 131 on Windows 10"))
    );
}

/// Sam, a standard user of Ann's account (made by the operator's command), signed in;
/// returns Sam's browser and id.
async fn sam_of(ann: &TestApp) -> (TestApp, String) {
    let me: Value = ann.get("/api/v1/me").await.json().await.unwrap();
    let account_id = me["account"]["id"].as_str().unwrap();
    let output = crate::admin_cli::keydesk(ann)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam", "--account-id", account_id])
        .args(["--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let browser = ann.other_browser();
    let response = browser.sign_in("sam@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let id = response.json::<Value>().await.unwrap()["user"]["id"].as_str().unwrap().to_string();
    (browser, id)
}

#[tokio::test]
async fn an_admin_sees_a_users_sessions_and_signs_them_out_everywhere() {
    let ann = spawn_app().await;
    ann.signed_up("ann@example.com").await;
    let (sam, sam_id) = sam_of(&ann).await;
    let form = [("tool", "dev"), ("login", "sam@example.com"), ("password", PASSWORD)];
    let issued: Value = new_client().post(ann.url("/api/auth")).form(&form).send().await.unwrap().json().await.unwrap();
    let me_with_credential = || {
        new_client()
            .get(ann.url("/api/v1/me"))
            .basic_auth(issued["login"].as_str().unwrap(), issued["password"].as_str())
            .send()
    };
    assert_eq!(me_with_credential().await.unwrap().status(), StatusCode::OK);
    let listed = sessions(&ann, &format!("/api/v1/users/{sam_id}/sessions")).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["current"], false, "an admin's listing marks none of the user's as the caller's");

    assert_eq!(ann.delete(&format!("/api/v1/users/{sam_id}/sessions")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(sam.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me_with_credential().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert!(sessions(&ann, &format!("/api/v1/users/{sam_id}/sessions")).await.is_empty());
    let logged = events(&ann, "/api/v1/security-events?kind=session_ended").await;
    assert!(logged.iter().any(|e| e["detail"].as_str().unwrap().contains("sam@example.com")), "{logged:?}");
}

#[tokio::test]
async fn a_standard_user_may_not_see_or_end_a_colleagues_sessions() {
    let ann = spawn_app().await;
    let ann_id = ann.signed_up("ann@example.com").await["id"].as_str().unwrap().to_string();
    let (sam, _) = sam_of(&ann).await;
    assert_eq!(sam.get(&format!("/api/v1/users/{ann_id}/sessions")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(sam.delete(&format!("/api/v1/users/{ann_id}/sessions")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ann.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn another_accounts_admin_gets_404_for_a_user_not_theirs() {
    let ann = spawn_app().await;
    let ann_id = ann.signed_up("ann@example.com").await["id"].as_str().unwrap().to_string();
    let bob = ann.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.get(&format!("/api/v1/users/{ann_id}/sessions")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(bob.delete(&format!("/api/v1/users/{ann_id}/sessions")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ann.get("/api/v1/me").await.status(), StatusCode::OK);
}
