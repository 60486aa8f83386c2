//! Input nested deep enough to exhaust a parser's stack: an upstream's XML answer and a JS library's
//! code. Each is refused with a clear status, and the server (the real binary, in a process of its
//! own, so a crash shows as a crash) keeps serving.

use crate::admin_cli::keydesk;
use crate::crash::wait_until_healthy;
use crate::helpers::{error_body, spawn_app, TestApp};
use actix_web::{web, App, HttpResponse, HttpServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::process::{Child, Stdio};

/// The binary serving `app`'s data, allowed to reach loopback; killed when dropped.
struct Server {
    process: Child,
    url: String,
    key: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Server {
    async fn start(app: &TestApp) -> Server {
        let key = app.post("/api/v1/me/developer-key", json!({})).await.json::<Value>().await.unwrap()["key"]
            .as_str()
            .unwrap()
            .to_string();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let process = keydesk(app)
            .arg("serve")
            .env("KEYDESK_ADDR", format!("127.0.0.1:{port}"))
            .env("KEYDESK_OUTBOUND_ALLOW", "127.0.0.1/32")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        wait_until_healthy(&url).await;
        Server { process, url, key }
    }

    async fn post(&self, path: &str, body: Value) -> Result<reqwest::Response, reqwest::Error> {
        reqwest::Client::new().post(format!("{}{path}", self.url)).bearer_auth(&self.key).json(&body).send().await
    }

    /// Still running and answering.
    async fn assert_alive(&mut self, after: &str) {
        assert!(self.process.try_wait().unwrap().is_none(), "the server died after {after}");
        let health = reqwest::get(format!("{}/healthz", self.url)).await;
        assert!(health.is_ok_and(|r| r.status().is_success()), "the server stopped answering after {after}");
    }
}

/// An upstream whose every answer is `body`.
async fn upstream_answering(body: String) -> String {
    let server = HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move { HttpResponse::Ok().content_type("application/xml").body(body) }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let url = format!("http://{}", server.addrs()[0]);
    tokio::spawn(server.run());
    url
}

async fn signed_up_app() -> TestApp {
    let app = spawn_app().await;
    app.signed_up("mallory@example.com").await;
    app
}

#[tokio::test]
async fn an_xml_answer_nested_300000_deep_is_a_502_and_the_server_survives() {
    let app = signed_up_app().await;
    let mut server = Server::start(&app).await;
    let hostile = upstream_answering("<a>".repeat(300_000)).await;
    let response = server
        .post("/api/v1/rest-requests", json!({"method": "GET", "url": hostile, "return_type": "XML"}))
        .await
        .expect("the server answered");
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = error_body(response).await;
    assert_eq!(body.code, "answer_too_deeply_nested");
    assert!(body.error.contains("256"), "{}", body.error);
    server.assert_alive("the XML answer").await;

    // Nesting within the limit still converts.
    let fine = upstream_answering(format!("{}{}", "<a>".repeat(200), "</a>".repeat(200))).await;
    let response = server
        .post("/api/v1/rest-requests", json!({"method": "GET", "url": fine, "return_type": "XML"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn js_code_nested_without_brackets_is_a_422_and_the_server_survives() {
    let app = signed_up_app().await;
    let mut server = Server::start(&app).await;
    let fill = |unit: &str, end: &str| format!("{}{end}", unit.repeat((16384 - end.len()) / unit.len()));
    let attacks = [
        ("assignments", fill("a=", "a")),
        ("negations", fill("!", "a")),
        ("a + chain", fill("a+", "a")),
        ("unary minus", fill("- ", "a")),
        ("typeof", fill("typeof ", "a")),
        ("conditionals", fill("a?a:", "a")),
        ("arrows", fill("a=>", "a")),
        ("new", fill("new ", "a")),
        ("ifs", fill("if(a)", ";")),
        ("labels", fill("a:", ";")),
        ("elses", fill("if(a);else ", ";")),
        ("exponents", fill("a**", "a")),
        ("member chain", fill("a.", "a")),
    ];
    for (name, code) in attacks {
        assert!(code.chars().count() <= 16384, "{name}");
        let sent = server.post("/api/v1/js-libraries", json!({"name": name, "description": "", "code": code})).await;
        let response = sent.unwrap_or_else(|e| panic!("no answer to {name}: {e}"));
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(!error_body(response).await.field("code").is_empty(), "{name}");
        server.assert_alive(name).await;
    }
}
