//! JS libraries, applications and deployments.

use crate::helpers::{error_body, spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn add_library(app: &TestApp, name: &str, code: &str) -> reqwest::Response {
    app.post("/api/v1/js-libraries", json!({"name": name, "description": "Helpers", "code": code})).await
}

async fn library_id(app: &TestApp, name: &str) -> String {
    let response = add_library(app, name, "function greet(n) { return 'Hello ' + n; }").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn application_using(app: &TestApp, library_id: &str, deployed: bool) -> String {
    let response = app.post("/api/v1/applications", json!({"name": "IVR", "library_ids": [library_id]})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    if deployed {
        let response = app
            .post(
                "/api/v1/deployments",
                json!({"application_id": id, "label": "Production", "variables": {"LANG": "en"}}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    id
}

#[tokio::test]
async fn code_of_16384_characters_passes_and_16385_fails_counting_characters_not_bytes() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let fill = |total: usize| format!("var s = '{}';", "é".repeat(total - 11));
    assert_eq!(add_library(&app, "at-limit", &fill(16384)).await.status(), StatusCode::CREATED);
    let response = add_library(&app, "over", &fill(16385)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("code")[0].contains("16384"));
}

/// JSON as Python's `json.dumps` writes it, and further: every character escaped, astral ones as a
/// surrogate pair, the longest spelling JSON has.
fn escaped_everywhere(text: &str) -> String {
    let mut units = [0u16; 2];
    text.chars().flat_map(|c| c.encode_utf16(&mut units).to_vec()).map(|unit| format!("\\u{unit:04x}")).collect()
}

#[tokio::test]
async fn a_library_of_16384_characters_fits_however_its_json_is_escaped() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let code = format!("var s = '{}';", "\u{1F600}".repeat(16384 - 11));
    let name = "\u{1F600}".repeat(100);
    let description = "\u{1F600}".repeat(1000);
    let body = format!(
        r#"{{"name": "{}", "description": "{}", "code": "{}"}}"#,
        escaped_everywhere(&name),
        escaped_everywhere(&description),
        escaped_everywhere(&code)
    );
    assert!(body.len() > 200_000, "the body is {} bytes", body.len());
    let send = |method: reqwest::Method, path: String, body: String| {
        app.client
            .request(method, app.url(&path))
            .header("Content-Type", "application/json")
            .header("X-CSRF-Token", app.csrf_token())
            .body(body)
            .send()
    };
    let response = send(reqwest::Method::POST, "/api/v1/js-libraries".into(), body.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let stored: Value = app.get(&format!("/api/v1/js-libraries/{id}")).await.json().await.unwrap();
    assert_eq!(stored["code"].as_str().unwrap().chars().count(), 16384);
    let response = send(reqwest::Method::PUT, format!("/api/v1/js-libraries/{id}"), body).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Larger bodies are still refused, here and on every other route.
    let too_large = format!(r#"{{"name": "x", "description": "", "code": "{}"}}"#, "a".repeat(300_000));
    let response = send(reqwest::Method::POST, "/api/v1/js-libraries".into(), too_large).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let response =
        send(reqwest::Method::POST, "/api/v1/applications".into(), format!(r#"{{"name": "{}"}}"#, "a".repeat(70_000)))
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn names_are_unique_per_account_whatever_the_case() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    library_id(&app, "Utils").await;
    let response = add_library(&app, "utils", "var a = 1;").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(response).await.code, "library_name_taken");
    // Another account may use the same name.
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(add_library(&bob, "Utils", "var a = 1;").await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_syntax_error_is_refused_with_its_line_and_column() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let response = add_library(&app, "broken", "function f(a) {\n  return (\n}").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = &error_body(response).await.field("code")[0].clone();
    assert!(problem.contains("line 3, col 1"), "{problem}");
}

#[tokio::test]
async fn third_party_modules_are_refused_with_an_explanation() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    for code in ["import _ from 'lodash';", "var _ = require('lodash');"] {
        let response = add_library(&app, "mods", code).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert!(error_body(response).await.field("code")[0].contains("third-party modules"));
    }
}

#[tokio::test]
async fn the_list_names_the_deployed_applications_using_each_library() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Utils").await;
    application_using(&app, &id, false).await;
    let list: Value = app.get("/api/v1/js-libraries").await.json().await.unwrap();
    assert_eq!(list[0]["deployed_applications"], json!([]), "an application without a deployment is not deployed");
    assert_eq!(list[0]["used_by"][0]["name"], "IVR");

    let deployed = application_using(&app, &id, true).await;
    let list: Value = app.get("/api/v1/js-libraries").await.json().await.unwrap();
    assert_eq!(list[0]["deployed_applications"], json!([{"id": deployed, "name": "IVR"}]));
}

#[tokio::test]
async fn deleting_a_library_deployed_applications_use_is_409_naming_them_unless_detached() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Utils").await;
    let application = application_using(&app, &id, true).await;
    let response = app.delete(&format!("/api/v1/js-libraries/{id}")).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body = error_body(response).await;
    assert_eq!(body.code, "library_in_use");
    assert!(body.error.contains("IVR"));

    assert_eq!(app.delete(&format!("/api/v1/js-libraries/{id}?detach=true")).await.status(), StatusCode::NO_CONTENT);
    let application: Value = app.get(&format!("/api/v1/applications/{application}")).await.json().await.unwrap();
    assert_eq!(application["library_ids"], json!([]));
    assert_eq!(app.get(&format!("/api/v1/js-libraries/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_account_s_library_and_application_do_not_exist_for_you() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Utils").await;
    let application = application_using(&app, &id, false).await;
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    for path in [format!("/api/v1/js-libraries/{id}"), format!("/api/v1/applications/{application}")] {
        assert_eq!(bob.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(bob.delete(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = bob.put(&format!("/api/v1/js-libraries/{id}"), json!({"name": "x", "code": "var a;"})).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Nor can Bob's application use Ann's library, or Bob deploy Ann's application.
    let response = bob.post("/api/v1/applications", json!({"name": "Mine", "library_ids": [id]})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = bob.post("/api/v1/deployments", json!({"application_id": application, "label": "Prod"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bob.get("/api/v1/js-libraries").await.json::<Value>().await.unwrap(), json!([]));
}

#[tokio::test]
async fn a_library_can_be_edited_and_an_application_keeps_its_libraries_in_order() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let first = library_id(&app, "First").await;
    let second = library_id(&app, "Second").await;
    let response = app.post("/api/v1/applications", json!({"name": "IVR", "library_ids": [second, first]})).await;
    let application: Value = response.json().await.unwrap();
    assert_eq!(application["library_ids"], json!([second, first]));

    let response = app
        .put(
            &format!("/api/v1/js-libraries/{first}"),
            json!({"name": "First v2", "description": "", "code": "var v = 2;"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let library: Value = response.json().await.unwrap();
    assert_eq!((library["name"].as_str(), library["code"].as_str()), (Some("First v2"), Some("var v = 2;")));
    let response =
        app.put(&format!("/api/v1/js-libraries/{first}"), json!({"name": "Second", "code": "var v = 2;"})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "renaming onto another library's name");
}

#[tokio::test]
async fn a_bad_query_string_is_a_json_400() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Utils").await;
    let response = app.delete(&format!("/api/v1/js-libraries/{id}?detach=maybe")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(response).await.code, "bad_request");
}

#[tokio::test]
async fn a_deployment_s_label_and_variables_can_be_edited_and_bad_variable_names_are_refused() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Utils").await;
    let application = application_using(&app, &id, true).await;
    let deployments: Value = app.get("/api/v1/deployments").await.json().await.unwrap();
    let deployment = deployments[0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/deployments/{deployment}");

    let response = app.put(&path, json!({"label": "Testing", "variables": {"LANG": "fr", "TIMEOUT_S": "30"}})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["label"], "Testing");
    assert_eq!(updated["application_id"], application.as_str());
    assert_eq!(updated["variables"], json!({"LANG": "fr", "TIMEOUT_S": "30"}));

    let response = app.put(&path, json!({"label": "Testing", "variables": {"2fast": "x"}})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("variables")[0].contains("2fast"));
    let response = app.put(&path, json!({"label": " ", "variables": {}})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept: Value = app.get("/api/v1/deployments").await.json().await.unwrap();
    assert_eq!(kept[0]["variables"], json!({"LANG": "fr", "TIMEOUT_S": "30"}), "a refused edit changes nothing");

    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.put(&path, json!({"label": "Mine"})).await.status(), StatusCode::NOT_FOUND);
}

/// Each change is logged with the library's name, in the same transaction as the change; a refused
/// change (a taken name, another's library, one already gone) leaves no entry.
#[tokio::test]
async fn every_library_change_and_no_refused_one_is_in_the_security_log() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let entries = || async {
        let page: Value = app.get("/api/v1/security-events").await.json().await.unwrap();
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"].as_str().unwrap().starts_with("library_"))
            .map(|e| format!("{} {}", e["kind"].as_str().unwrap(), e["detail"].as_str().unwrap()))
            .collect::<Vec<_>>()
    };
    let id = library_id(&app, "Greetings").await;
    library_id(&app, "Taken").await;
    let path = format!("/api/v1/js-libraries/{id}");
    let rename = |name: &str| json!({"name": name, "description": "", "code": "var a;"});
    assert_eq!(app.put(&path, rename("Taken")).await.status(), StatusCode::CONFLICT);
    assert_eq!(app.put("/api/v1/js-libraries/no-such-id", rename("Other")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.put(&path, rename("Salutations")).await.status(), StatusCode::OK);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        entries().await,
        [
            "library_deleted Salutations",
            "library_changed Salutations",
            "library_added Taken",
            "library_added Greetings"
        ]
    );
}

/// Changes sent to one library at once are written in batches (issue 18); each still stands or falls
/// on its own as if sent one after another: a taken name is refused, the others are kept and logged
/// once each, and another account's changes to the same id find nothing and join no batch.
#[tokio::test]
async fn changes_sent_at_once_to_one_library_each_stand_or_fall_on_their_own() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let id = library_id(&app, "Greetings").await;
    library_id(&app, "Taken").await;
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    let path = format!("/api/v1/js-libraries/{id}");
    let change = |n: usize| match n % 3 {
        0 => (&app, json!({"name": "Taken", "description": "", "code": format!("var taken = {n};")})),
        1 => (&app, json!({"name": "Greetings", "description": format!("v{n}"), "code": format!("var v = {n};")})),
        _ => (&bob, json!({"name": "Greetings", "description": "", "code": format!("var bob = {n};")})),
    };
    let sent = (0..36).map(|n| {
        let (who, body) = change(n);
        let path = path.clone();
        async move { (n, who.put(&path, body).await) }
    });
    let answers = futures_util::future::join_all(sent).await;

    let mut kept = Vec::new();
    for (n, response) in answers {
        match n % 3 {
            0 => assert_eq!(error_body(response).await.code, shared::ErrorCode::LibraryNameTaken, "change {n}"),
            1 => {
                assert_eq!(response.status(), StatusCode::OK, "change {n}");
                let library: Value = response.json().await.unwrap();
                assert_eq!(library["code"], format!("var v = {n};"), "each answer shows its own change");
                assert_eq!(library["description"], format!("v{n}"));
                kept.push(library["code"].as_str().unwrap().to_string());
            }
            _ => assert_eq!(response.status(), StatusCode::NOT_FOUND, "Bob's change {n}"),
        }
    }
    let library: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(library["name"], "Greetings");
    assert!(
        kept.contains(&library["code"].as_str().unwrap().to_string()),
        "the library holds one of Ann's kept changes"
    );
    let page: Value = app.get("/api/v1/security-events?per_page=100").await.json().await.unwrap();
    let changed = page["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "library_changed").count();
    assert_eq!(changed, 12, "one entry per kept change, none for a refused one");
}

/// Libraries added at once are written in batches (issue 18); each still stands or falls on its own:
/// a name already taken, or sent twice, is refused (once kept), the others are added and logged once
/// each, and another account's batch is its own (the same name is free there).
#[tokio::test]
async fn libraries_added_at_once_each_stand_or_fall_on_their_own() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    library_id(&app, "Taken").await;
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    let addition = |n: usize| match n % 4 {
        0 => (&app, "Taken".to_string()),
        1 => (&app, format!("Library {n}")),
        2 => (&app, "Twice".to_string()),
        _ => (&bob, "Taken".to_string()), // added once, then taken in Bob's account too
    };
    let sent = (0..40).map(|n| {
        let (who, name) = addition(n);
        async move { (n, name.clone(), add_library(who, &name, &format!("var v = {n};")).await) }
    });
    let answers = futures_util::future::join_all(sent).await;

    let (mut twice_added, mut bob_added) = (0, 0);
    for (n, name, response) in answers {
        let status = response.status();
        match (n % 4, status) {
            (1, StatusCode::CREATED) => {
                let library: Value = response.json().await.unwrap();
                assert_eq!(
                    (library["name"].as_str(), library["code"].as_str()),
                    (Some(name.as_str()), Some(&*format!("var v = {n};")))
                );
            }
            (2, StatusCode::CREATED) => twice_added += 1,
            (3, StatusCode::CREATED) => bob_added += 1,
            (0 | 2 | 3, _) => {
                assert_eq!(error_body(response).await.code, shared::ErrorCode::LibraryNameTaken, "{n} {name}")
            }
            _ => panic!("addition {n} ({name}) answered {status}"),
        }
    }
    assert_eq!((twice_added, bob_added), (1, 1), "a name sent several times at once is added once");
    let names = |list: Value| {
        list.as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(names(app.get("/api/v1/js-libraries").await.json().await.unwrap()).len(), 1 + 10 + 1);
    assert_eq!(names(bob.get("/api/v1/js-libraries").await.json().await.unwrap()), ["Taken"]);
    let page: Value = app.get("/api/v1/security-events?per_page=100").await.json().await.unwrap();
    let added = page["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "library_added").count();
    assert_eq!(added, 12, "one entry per library added, none for a refused one");
}
