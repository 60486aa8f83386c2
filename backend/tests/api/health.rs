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
        ("/api/v1/me/developer-key", "get"),
        ("/api/v1/me/developer-key", "post"),
        ("/api/v1/me/developer-key/reveal", "post"),
        ("/api/v1/me/api-credentials", "get"),
        ("/api/v1/me/api-credentials/{id}", "delete"),
        ("/api/auth", "post"),
        ("/api/v1/session/two-factor", "post"),
        ("/api/v1/me/two-factor", "post"),
        ("/api/v1/me/two-factor", "delete"),
        ("/api/v1/me/two-factor/verify", "post"),
        ("/api/v1/me/two-factor/recovery-codes", "post"),
        ("/api/v1/me/two-factor/confirmation-code", "post"),
        ("/api/v1/me/devices", "get"),
        ("/api/v1/applications", "get"),
        ("/api/v1/applications", "post"),
        ("/api/v1/applications/{id}", "get"),
        ("/api/v1/applications/{id}", "put"),
        ("/api/v1/applications/{id}", "delete"),
        ("/api/v1/deployments", "get"),
        ("/api/v1/deployments", "post"),
        ("/api/v1/deployments/{id}", "delete"),
        ("/api/v1/js-libraries", "get"),
        ("/api/v1/js-libraries", "post"),
        ("/api/v1/js-libraries/{id}", "get"),
        ("/api/v1/js-libraries/{id}", "put"),
        ("/api/v1/js-libraries/{id}", "delete"),
        ("/api/v1/me/devices/{id}", "delete"),
    ];
    for (path, method) in expected {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    for scheme in ["session_cookie", "csrf_token", "bearer", "basic"] {
        assert!(doc["components"]["securitySchemes"][scheme].is_object(), "{scheme}");
    }
}

#[tokio::test]
async fn the_interactive_api_page_is_served_with_its_own_assets() {
    let app = spawn_app().await;
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("://cdn") && !html.contains("unpkg.com"), "no CDN: {html}");
    for asset in ["/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-initializer.js"] {
        assert_eq!(app.get(asset).await.status(), StatusCode::OK, "{asset}");
    }
    let init = app.get("/api/docs/swagger-initializer.js").await.text().await.unwrap();
    assert!(init.contains("/api/openapi.json"), "{init}");
    let redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = redirect.get(app.url("/api/docs")).send().await.unwrap();
    assert!(response.status().is_redirection());
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

#[tokio::test]
async fn dashboard_files_are_compressed_and_hashed_ones_kept_for_a_year() {
    let script = "console.log('keydesk');\n".repeat(400);
    let written = script.clone();
    let app = crate::helpers::spawn_app_with(move |s| {
        let dir = std::env::temp_dir().join(format!("kd-spa-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html>keydesk spa</html>").unwrap();
        std::fs::write(dir.join("keydesk-frontend-0123456789abcdef.js"), written).unwrap();
        std::fs::write(dir.join("keydesk-frontend-0123456789abcdef_bg.wasm"), "raw wasm").unwrap();
        std::fs::write(dir.join("keydesk-frontend-0123456789abcdef_bg.wasm.gz"), "built gzip").unwrap();
        s.spa_dir = Some(dir);
    })
    .await;
    let get = |path: &'static str| app.client.get(app.url(path)).header("Accept-Encoding", "gzip, br").send();

    let asset = get("/keydesk-frontend-0123456789abcdef.js").await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    let encoding = asset.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());
    assert!(matches!(encoding.as_deref(), Some("gzip" | "br")), "{encoding:?}");
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    let sent = asset.bytes().await.unwrap();
    assert!(sent.len() * 10 < script.len(), "{} compressed bytes for {}", sent.len(), script.len());

    // A `.gz` the build wrote is sent as it is, to clients that take gzip only.
    let wasm = get("/keydesk-frontend-0123456789abcdef_bg.wasm").await.unwrap();
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(wasm.text().await.unwrap(), "built gzip");
    let plain = app.client.get(app.url("/keydesk-frontend-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "raw wasm");
    assert_eq!(get("/missing.js").await.unwrap().headers()["cache-control"], "no-cache", "the index, revalidated");

    for page in ["/", "/account"] {
        let index = get(page).await.unwrap();
        assert_eq!(index.headers()["cache-control"], "no-cache", "{page}");
    }
    let api = get("/api/openapi.json").await.unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert!(api.headers().get("content-encoding").is_none(), "API answers stay uncompressed");
}
