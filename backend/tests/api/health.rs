//! `/healthz`, the OpenAPI document, and the SPA fallback.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn healthz_reports_a_reachable_database() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["database"], "reachable");
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint_with_its_methods() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/healthz", "get"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/session", "post"),
        ("/api/v1/session", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me/password", "put"),
    ];
    for (path, method) in expected {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["session_cookie"].is_object());
}

#[tokio::test]
async fn without_a_built_dashboard_other_paths_explain_how_to_build_it() {
    let app = spawn_app().await;
    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("cargo xtask run"));
}

#[tokio::test]
async fn client_side_routes_are_served_the_spa_index() {
    let app = crate::helpers::spawn_app_with(|s| {
        let dir = std::env::temp_dir().join(format!("kd-spa-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html>keydesk spa</html>").unwrap();
        std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
        s.spa_dir = Some(dir);
    })
    .await;
    assert!(app.get("/account").await.text().await.unwrap().contains("keydesk spa"));
    assert_eq!(app.get("/app.js").await.text().await.unwrap(), "console.log(1)");
    assert_eq!(app.get("/api/v1/unknown").await.status(), StatusCode::NOT_FOUND);
}
