//! Client certificates: upload checks, storage, and outbound requests that present them (mTLS).

use crate::helpers::{error_body, spawn_app, spawn_app_with, TestApp};
use crate::mtls::{MtlsServer, TestCa};
use base64::Engine;
use diesel::prelude::*;
use rcgen::ExtendedKeyUsagePurpose;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// An app whose outbound requests may reach loopback and trust the test CA, as an operator would set it.
async fn app_trusting(ca: &TestCa) -> TestApp {
    let app = spawn_app_with(|s| {
        s.outbound.allow = vec!["127.0.0.1/32".parse().unwrap(), "::1/128".parse().unwrap()];
        s.outbound.extra_roots_pem = Some(ca.pem.clone());
    })
    .await;
    app.signed_up("ann@example.com").await;
    app
}

async fn upload(app: &TestApp, domain: &str, pem: &str) -> reqwest::Response {
    app.post("/api/v1/certificates", json!({"domain": domain, "pem": pem})).await
}

/// As the dashboard's file picker sends it: multipart/form-data.
async fn upload_file(app: &TestApp, domain: &str, file: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("domain", domain.to_string())
        .part("file", reqwest::multipart::Part::bytes(file).file_name("client.pem"));
    let request = app.client.post(app.url("/api/v1/certificates")).header("X-CSRF-Token", app.csrf_token());
    request.multipart(form).send().await.unwrap()
}

async fn uploaded(app: &TestApp, domain: &str, pem: &str) -> Value {
    let response = upload(app, domain, pem).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn rest_get(app: &TestApp, url: &str) -> reqwest::Response {
    app.post("/api/v1/rest-requests", json!({"method": "GET", "url": url, "return_type": "JSON"})).await
}

#[tokio::test]
async fn the_stored_certificate_is_presented_to_its_domain_and_the_server_sees_its_subject() {
    let ca = TestCa::new();
    let server = MtlsServer::start(&ca).await;
    let app = app_trusting(&ca).await;
    let certificate = uploaded(&app, "localhost", &ca.client_pem("Ann's client")).await;
    assert_eq!(certificate["subject"], "CN=Ann's client");
    assert_eq!(certificate["issuer"], "CN=Keydesk Test CA");
    assert_eq!(certificate["status"], "valid");
    assert_eq!(certificate["created_by"], "Ann Example");
    assert!(!certificate.to_string().contains("PRIVATE KEY"), "the key is never returned");

    let id = certificate["id"].as_str().unwrap();
    let response = app.post(&format!("/api/v1/certificates/{id}/test"), json!({"url": server.url()})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let outcome: Value = response.json().await.unwrap();
    assert_eq!((outcome["ok"].as_bool(), outcome["status"].as_u64()), (Some(true), Some(200)), "{outcome}");
    assert!(outcome["message"].as_str().unwrap().contains("handshake succeeded"));

    let response = rest_get(&app, &server.url()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["body"], json!({"client": "CN=Ann's client"}));
    assert_eq!(answer["client_certificate"], "localhost");
    assert_eq!(server.client_subjects.lock().unwrap().as_slice(), ["CN=Ann's client", "CN=Ann's client"]);

    let listed: Value = app.get("/api/v1/certificates").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("PRIVATE KEY"));
}

#[tokio::test]
async fn without_a_certificate_for_the_host_the_handshake_fails_and_the_api_says_so() {
    let ca = TestCa::new();
    let server = MtlsServer::start(&ca).await;
    let app = app_trusting(&ca).await;
    // No certificate at all.
    let response = rest_get(&app, &server.url()).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = error_body(response).await;
    assert_eq!(body.code, "tls_handshake_failed");
    assert!(body.error.contains("requires a client certificate"), "{}", body.error);
    // Another domain's certificate is not presented to this host.
    uploaded(&app, "api.example.com", &ca.client_pem("Other")).await;
    let body = error_body(rest_get(&app, &server.url()).await).await;
    assert_eq!(body.code, "tls_handshake_failed");
    assert!(server.client_subjects.lock().unwrap().is_empty(), "the server accepted no client");
}

#[tokio::test]
async fn a_test_of_a_certificate_the_server_does_not_trust_reports_the_refusal() {
    let ca = TestCa::new();
    let server = MtlsServer::start(&ca).await;
    let app = app_trusting(&ca).await;
    let stranger = TestCa::new();
    let certificate = uploaded(&app, "localhost", &stranger.client_pem("Stranger")).await;
    let id = certificate["id"].as_str().unwrap();
    let outcome: Value =
        app.post(&format!("/api/v1/certificates/{id}/test"), json!({"url": server.url()})).await.json().await.unwrap();
    assert_eq!(outcome["ok"], false);
    assert!(outcome["message"].as_str().unwrap().contains("refused the client certificate"), "{outcome}");
}

#[tokio::test]
async fn internal_addresses_are_refused_without_the_operator_s_allow_list() {
    let ca = TestCa::new();
    let server = MtlsServer::start(&ca).await;
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    for url in [server.url(), "http://169.254.169.254/latest/meta-data/".into(), "http://[::1]:9/".into()] {
        let response = rest_get(&app, &url).await;
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{url}");
        let body = error_body(response).await;
        assert_eq!(body.code, "internal_address", "{url}");
    }
    let response = rest_get(&app, "ftp://example.com/").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_body(response).await.field("url")[0].contains("http"));
}

#[tokio::test]
async fn every_unusable_upload_is_a_422_that_says_which_problem_it_is() {
    let ca = TestCa::new();
    let app = app_trusting(&ca).await;
    let pem = ca.client_pem("Client");
    let (cert_only, key_only) = pem.split_at(pem.find("-----BEGIN PRIVATE KEY-----").unwrap());
    let (other_cert, _) = ca.issue("Other", vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let (server_cert, server_key) = ca.issue("Server", vec![], ExtendedKeyUsagePurpose::ServerAuth);
    let der_base64: String = cert_only.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(der_base64).unwrap();
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let cases: Vec<(String, Vec<u8>, &str)> = vec![
        ("der".into(), der, "pem_is_der"),
        ("cert only".into(), cert_only.as_bytes().to_vec(), "pem_no_private_key"),
        ("key only".into(), key_only.as_bytes().to_vec(), "pem_no_certificate"),
        ("encrypted".into(), format!("{cert_only}{encrypted}").into_bytes(), "pem_encrypted_key"),
        ("garbage".into(), b"not a certificate at all".to_vec(), "pem_not_pem"),
        ("mismatch".into(), format!("{other_cert}{key_only}").into_bytes(), "private_key_mismatch"),
        ("server only".into(), format!("{server_cert}{server_key}").into_bytes(), "certificate_not_for_client_auth"),
        ("too large".into(), format!("{pem}{}", "#".repeat(64 * 1024)).into_bytes(), "pem_too_large"),
    ];
    for (what, file, code) in cases {
        let response = upload_file(&app, "api.example.com", file).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let body = error_body(response).await;
        assert_eq!(body.code, code, "{what}: {}", body.error);
        assert!(!body.field("file").is_empty(), "{what}: the problem is the file's");
    }
    for domain in ["", "not a domain", "127.0.0.1", "*.com"] {
        let response = upload(&app, domain, &pem).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{domain:?}");
        assert!(!error_body(response).await.field("domain").is_empty(), "{domain:?}");
    }
    assert_eq!(app.get("/api/v1/certificates").await.json::<Value>().await.unwrap(), json!([]), "nothing was stored");
}

#[tokio::test]
async fn multipart_uploads_work_and_one_domain_has_one_certificate() {
    let ca = TestCa::new();
    let app = app_trusting(&ca).await;
    let response = upload_file(&app, "*.Bücher.example", ca.client_pem("Shop").into_bytes()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["domain"], "*.xn--bcher-kva.example");

    let response = upload(&app, "*.bücher.example", &ca.client_pem("Again")).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(response).await.code, "certificate_domain_taken");
    let response = app
        .client
        .post(app.url("/api/v1/certificates"))
        .header("X-CSRF-Token", app.csrf_token())
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn another_account_s_certificate_does_not_exist_for_you_and_deleting_works() {
    let ca = TestCa::new();
    let app = app_trusting(&ca).await;
    let id = uploaded(&app, "api.example.com", &ca.client_pem("Ann")).await["id"].as_str().unwrap().to_string();
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.delete(&format!("/api/v1/certificates/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(bob.post(&format!("/api/v1/certificates/{id}/test"), json!({})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(bob.get("/api/v1/certificates").await.json::<Value>().await.unwrap(), json!([]));
    let response =
        app.post(&format!("/api/v1/certificates/{id}/test"), json!({"url": "https://elsewhere.example/"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a test only goes to the certificate's domain");
    assert_eq!(app.delete(&format!("/api/v1/certificates/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/certificates").await.json::<Value>().await.unwrap(), json!([]));
}

#[tokio::test]
async fn the_database_holds_no_private_key_material() {
    let ca = TestCa::new();
    let app = app_trusting(&ca).await;
    let pem = ca.client_pem("Secret");
    uploaded(&app, "api.example.com", &pem).await;
    let key_base64: String = pem
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("-----"))
        .collect();
    let key_der = base64::engine::general_purpose::STANDARD.decode(&key_base64).unwrap();
    let stored = app.stored_bytes(|conn| {
        use keydesk::db::schema::certificates::dsl::*;
        let rows: Vec<(String, String)> = certificates.select((chain_pem, private_key_sealed)).load(conn).unwrap();
        rows.into_iter().flat_map(|(a, b)| [a, b]).collect()
    });
    assert!(!stored.is_empty());
    let text = String::from_utf8_lossy(&stored);
    assert!(!text.contains(&key_base64[..48]), "the key's PEM is stored in clear");
    assert!(!text.contains("PRIVATE KEY"));
    assert!(!stored.windows(32).any(|w| key_der.windows(32).any(|k| k == w)), "the key's DER is stored in clear");
}

#[tokio::test]
async fn a_host_gets_its_exact_domain_s_certificate_before_the_wildcard() {
    let ca = TestCa::new();
    let app = app_trusting(&ca).await;
    uploaded(&app, "*.example.com", &ca.client_pem("Wildcard")).await;
    uploaded(&app, "api.example.com", &ca.client_pem("Exact")).await;
    let account: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let account = account["account"]["id"].as_str().unwrap();
    let chosen =
        |host: &str| keydesk::db::certificates::for_host(&mut app.db(), account, host).unwrap().map(|c| c.subject);
    assert_eq!(chosen("api.example.com").as_deref(), Some("CN=Exact"));
    assert_eq!(chosen("API.example.com.").as_deref(), Some("CN=Exact"));
    assert_eq!(chosen("www.example.com").as_deref(), Some("CN=Wildcard"));
    assert_eq!(chosen("example.com"), None);
    assert_eq!(chosen("a.b.example.com"), None);
}
