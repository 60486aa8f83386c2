//! The headers that keep browsers from being turned against the dashboard: a script policy, no
//! framing or sniffing, no referrer, HSTS over HTTPS, no caching of secrets, and cookies whose
//! `Secure` flag no client can switch on by saying it used HTTPS.

use crate::helpers::{current_totp_code, spawn_app, spawn_app_with, TestApp, PASSWORD};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Trunk's loader, as `trunk build` writes it into `index.html`.
const LOADER: &str = "\nimport init, * as bindings from '/keydesk-frontend-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/keydesk-frontend-0123456789abcdef_bg.wasm' });\n";

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The policy's sources for one directive.
fn directive<'p>(policy: &'p str, name: &str) -> Vec<&'p str> {
    policy
        .split(';')
        .map(str::split_whitespace)
        .find_map(|mut words| (words.next() == Some(name)).then(|| words.collect()))
        .unwrap_or_default()
}

async fn app_serving_a_built_dashboard() -> TestApp {
    spawn_app_with(|s| {
        let dist = s.data_dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        let index = format!("<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/keydesk-frontend-0123456789abcdef.js\"></head><body><script type=\"module\">{LOADER}</script></body></html>");
        std::fs::write(dist.join("index.html"), index).unwrap();
        s.spa_dir = Some(dist);
    })
    .await
}

#[tokio::test]
async fn every_answer_refuses_framing_sniffing_and_referrers() {
    let app = app_serving_a_built_dashboard().await;
    for path in ["/", "/account", "/api/v1/me", "/api/v1/nothing-here", "/healthz", "/api/docs/", "/api/openapi.json"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let policy = header(headers, "content-security-policy");
        assert_eq!(directive(policy, "frame-ancestors"), ["'none'"], "{path}: {policy}");
        assert_eq!(directive(policy, "object-src"), ["'none'"], "{path}: {policy}");
        assert_eq!(header(headers, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(headers, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "{path}: not over plain HTTP");
    }
}

#[tokio::test]
async fn the_dashboard_runs_only_its_own_scripts_its_loader_and_its_wasm() {
    let app = app_serving_a_built_dashboard().await;
    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = header(response.headers(), "content-security-policy").to_string();
    let loader_hash = format!("'sha256-{}'", STANDARD.encode(Sha256::digest(LOADER)));
    assert_eq!(directive(&policy, "script-src"), ["'self'", "'wasm-unsafe-eval'", loader_hash.as_str()], "{policy}");
    assert_eq!(directive(&policy, "default-src"), ["'self'"], "{policy}");
    assert_eq!(directive(&policy, "base-uri"), ["'none'"], "{policy}");
    assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
}

#[tokio::test]
async fn the_api_page_works_under_its_policy() {
    let app = spawn_app().await;
    let response = app.get("/api/docs/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = header(response.headers(), "content-security-policy").to_string();
    assert_eq!(directive(&policy, "script-src"), ["'self'"], "{policy}");
    assert_eq!(directive(&policy, "connect-src"), ["'self'"], "{policy}");
    let page = response.text().await.unwrap();
    let scripts: Vec<&str> = page.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = &script[..script.find('>').unwrap()];
        let src = tag.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("no inline scripts");
        let file = app.get(&format!("/api/docs/{}", src.trim_start_matches("./"))).await;
        assert_eq!(file.status(), StatusCode::OK, "{src}");
    }
}

#[tokio::test]
async fn answers_carrying_secrets_are_never_stored() {
    let app = spawn_app().await;
    let mut answers = Vec::new();
    answers.push(("sign-up (CSRF token)", app.sign_up("ann@example.com").await.headers().clone()));
    let browser = app.other_browser();
    answers.push(("sign-in (CSRF token)", browser.sign_in("ann@example.com", PASSWORD).await.headers().clone()));
    let key = browser.post("/api/v1/me/developer-key", json!({})).await;
    answers.push(("developer key", key.headers().clone()));
    let key: Value = key.json().await.unwrap();
    let reveal = browser.post("/api/v1/me/developer-key/reveal", json!({"password": PASSWORD})).await;
    answers.push(("revealed key", reveal.headers().clone()));
    let credentials = crate::helpers::new_client()
        .post(app.url("/api/auth"))
        .form(&[("tool", "dev"), ("login", "ann@example.com"), ("password", key["key"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(credentials.status(), StatusCode::OK);
    answers.push(("/api/auth credentials", credentials.headers().clone()));
    let totp = browser.post("/api/v1/me/two-factor", json!({"method": "totp", "password": PASSWORD})).await;
    assert_eq!(totp.status(), StatusCode::OK);
    answers.push(("TOTP secret", totp.headers().clone()));
    let setup: Value = totp.json().await.unwrap();
    let code = current_totp_code(&setup);
    let verified = browser.post("/api/v1/me/two-factor/verify", json!({"code": code})).await;
    assert_eq!(verified.status(), StatusCode::OK);
    answers.push(("access codes", verified.headers().clone()));
    for (what, headers) in answers {
        assert_eq!(header(&headers, "cache-control"), "no-store", "{what}");
    }
}

/// Signs in from loopback saying the client used HTTPS; answers the session cookie and the headers.
async fn sign_in_claiming_https(app: &TestApp) -> (String, HeaderMap) {
    let response = crate::helpers::new_client()
        .post(app.url("/api/v1/session"))
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("keydesk_session="))
        .unwrap()
        .to_string();
    (cookie, response.headers().clone())
}

#[tokio::test]
async fn a_client_saying_it_used_https_is_believed_only_from_a_trusted_proxy() {
    let direct = spawn_app().await;
    direct.signed_up("ann@example.com").await;
    let (cookie, headers) = sign_in_claiming_https(&direct).await;
    assert!(!cookie.to_ascii_lowercase().contains("secure"), "{cookie}");
    assert!(headers.get("strict-transport-security").is_none());

    let proxied = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    proxied.signed_up("ann@example.com").await;
    let (cookie, headers) = sign_in_claiming_https(&proxied).await;
    assert!(cookie.to_ascii_lowercase().contains("; secure"), "{cookie}");
    assert_eq!(header(&headers, "strict-transport-security"), "max-age=31536000; includeSubDomains");
}
