//! Integrations: admins manage them, everyone sees them, secrets are write-only.

use crate::admin_cli::keydesk;
use crate::helpers::{error_body, spawn_app, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn s3(name: &str) -> Value {
    json!({"name": name, "type": "aws_s3", "config": {
        "bucket": "call-recordings", "region": "us-east-1", "access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key": SECRET_KEY}})
}

/// Ann (admin) and Sam (standard user of the same account), each signed in.
async fn admin_and_standard() -> (TestApp, TestApp) {
    let ann = spawn_app().await;
    let admin = ann.signed_up("ann@example.com").await;
    let account_id = admin["account"]["id"].as_str().unwrap();
    let output = keydesk(&ann)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam"])
        .args(["--account-id", account_id, "--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let sam = ann.other_browser();
    assert_eq!(sam.sign_in("sam@example.com", PASSWORD).await.status(), StatusCode::OK);
    (ann, sam)
}

#[tokio::test]
async fn admins_manage_integrations_and_standard_users_only_see_them() {
    let (ann, sam) = admin_and_standard().await;
    let response = ann.post("/api/v1/integrations", s3("Recordings")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["config"]["bucket"], "call-recordings");
    assert_eq!(created["secrets_set"], json!(["secret_access_key"]));
    assert_eq!(created["created_by"], "Ann Example");

    let seen: Value = sam.get("/api/v1/integrations").await.json().await.unwrap();
    assert_eq!(seen[0]["name"], "Recordings");
    assert!(!seen.to_string().contains(SECRET_KEY), "secrets are never returned");
    let path = format!("/api/v1/integrations/{id}");
    for response in [
        sam.post("/api/v1/integrations", s3("Mine")).await,
        sam.put(&path, s3("Renamed")).await,
        sam.delete(&path).await,
    ] {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_body(response).await.code, "admin_required");
    }
    assert_eq!(ann.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(sam.get("/api/v1/integrations").await.json::<Value>().await.unwrap(), json!([]));
}

#[tokio::test]
async fn each_type_s_fields_are_validated_and_named_in_the_422() {
    let ann = spawn_app().await;
    ann.signed_up("ann@example.com").await;
    let cases = [
        (
            json!({"name": "Bot", "type": "dialogflow", "config": {"project_id": "Bad_Id", "service_account_json": "{}"}}),
            vec!["config.project_id", "config.service_account_json"],
        ),
        (
            json!({"name": "Table", "type": "dynamodb", "config": {"region": "mars", "access_key_id": "x"}}),
            vec!["config.region", "config.access_key_id", "config.secret_access_key", "config.table"],
        ),
        (
            json!({"name": "Api", "type": "rest", "config": {"base_url": "ftp://x", "auth_header_name": "X Key",
            "auth_header_value": "v"}}),
            vec!["config.base_url", "config.auth_header_name"],
        ),
        (
            json!({"name": "Extra", "type": "rest", "config": {"base_url": "https://api.example.com",
            "auth_header_name": "X-Key", "auth_header_value": "v", "password": "p"}}),
            vec!["config"],
        ),
    ];
    for (body, fields) in cases {
        let response = ann.post("/api/v1/integrations", body.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error = error_body(response).await;
        for field in fields {
            assert!(!error.field(field).is_empty(), "{field} not named for {body}: {error:?}");
        }
    }
    let response = ann.post("/api/v1/integrations", json!({"name": "X", "type": "ftp", "config": {}})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "an unknown type is a malformed request");
    let dialogflow = json!({"name": "Bot", "type": "dialogflow", "config": {"project_id": "support-bot-42",
        "service_account_json": "{\"type\": \"service_account\", \"client_email\": \"bot@x.iam.gserviceaccount.com\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\"}"}});
    assert_eq!(ann.post("/api/v1/integrations", dialogflow).await.status(), StatusCode::CREATED);
    let response = ann
        .post(
            "/api/v1/integrations",
            json!({"name": "BOT", "type": "rest", "config": {
        "base_url": "https://api.example.com", "auth_header_name": "X-Key", "auth_header_value": "v"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "names are unique per account whatever the case");
}

#[tokio::test]
async fn secrets_are_write_only_kept_unless_replaced_and_not_stored_in_clear() {
    let ann = spawn_app().await;
    ann.signed_up("ann@example.com").await;
    let created: Value = ann.post("/api/v1/integrations", s3("Recordings")).await.json().await.unwrap();
    let path = format!("/api/v1/integrations/{}", created["id"].as_str().unwrap());
    // Editing without the secret keeps it: the 200 shows it was still there to satisfy the rules.
    let mut edit = s3("Recordings EU");
    edit["config"]["secret_access_key"] = json!("");
    edit["config"]["region"] = json!("eu-west-1");
    let response = ann.put(&path, edit).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(
        (updated["name"].as_str(), updated["config"]["region"].as_str()),
        (Some("Recordings EU"), Some("eu-west-1"))
    );
    // Changing the type needs the new type's secrets.
    let response = ann
        .put(
            &path,
            json!({"name": "Now REST", "type": "rest", "config": {
        "base_url": "https://api.example.com", "auth_header_name": "X-Key"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("config.auth_header_value").is_empty());

    let stored = ann.stored_bytes(|conn| {
        use diesel::prelude::*;
        use keydesk::db::schema::integrations::dsl::*;
        integrations.select(secrets_sealed).load(conn).unwrap()
    });
    assert!(!String::from_utf8_lossy(&stored).contains(SECRET_KEY), "the secret is in the database in clear");
}

#[tokio::test]
async fn applications_use_integrations_and_the_list_shows_where() {
    let ann = spawn_app().await;
    ann.signed_up("ann@example.com").await;
    let integration: Value = ann.post("/api/v1/integrations", s3("Recordings")).await.json().await.unwrap();
    let id = integration["id"].as_str().unwrap();
    let response = ann.post("/api/v1/applications", json!({"name": "IVR", "integration_ids": [id]})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let application: Value = response.json().await.unwrap();
    assert_eq!(application["integration_ids"], json!([id]));
    let listed: Value = ann.get("/api/v1/integrations").await.json().await.unwrap();
    assert_eq!(listed[0]["used_by"][0]["name"], "IVR");
    // Saving the application without integration_ids leaves them as they are.
    let app_path = format!("/api/v1/applications/{}", application["id"].as_str().unwrap());
    let saved: Value = ann.put(&app_path, json!({"name": "IVR 2"})).await.json().await.unwrap();
    assert_eq!(saved["integration_ids"], json!([id]));

    let bob = ann.other_browser();
    bob.signed_up("bob@example.com").await;
    let response = bob.post("/api/v1/applications", json!({"name": "Mine", "integration_ids": [id]})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "another account's integration does not exist");
    assert_eq!(bob.put(&format!("/api/v1/integrations/{id}"), s3("x")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(bob.delete(&format!("/api/v1/integrations/{id}")).await.status(), StatusCode::NOT_FOUND);
}
