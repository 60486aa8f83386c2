//! `POST /api/v1/rest-requests` over the wire: each method's encoding, the return types, and the size
//! and time limits, against an HTTP server on loopback that echoes what it received.

use crate::helpers::{error_body, spawn_app_with, TestApp};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// Echoes method, query, content type, a custom header and the body; `/big`, `/slow` and `/csv` misbehave
/// or answer in other formats.
async fn start_echo() -> String {
    async fn echo(request: HttpRequest, body: web::Bytes) -> HttpResponse {
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        HttpResponse::Ok().insert_header(("x-echo", "yes")).json(json!({
            "method": request.method().as_str(),
            "query": request.query_string(),
            "content_type": header("content-type"),
            "x_custom": header("x-custom"),
            "body": String::from_utf8_lossy(&body),
        }))
    }
    let server = HttpServer::new(|| {
        App::new()
            .route("/big", web::get().to(|| async { HttpResponse::Ok().body(vec![b'x'; 2 * 1024 * 1024]) }))
            .route(
                "/slow",
                web::get().to(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    HttpResponse::Ok().finish()
                }),
            )
            .route("/csv", web::get().to(|| async { HttpResponse::Ok().body("id,name\n1,\"Ann, A.\"\n") }))
            .default_service(web::to(echo))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let url = format!("http://{}", server.addrs()[0]);
    tokio::spawn(server.run());
    url
}

async fn app_reaching_loopback() -> TestApp {
    let app = spawn_app_with(|s| {
        s.outbound.allow = vec!["127.0.0.1/32".parse().unwrap()];
        s.outbound.timeout = Duration::from_secs(1);
    })
    .await;
    app.signed_up("ann@example.com").await;
    app
}

async fn send(app: &TestApp, request: Value) -> reqwest::Response {
    app.post("/api/v1/rest-requests", request).await
}

async fn echoed(app: &TestApp, request: Value) -> Value {
    let response = send(app, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["headers"]["x-echo"], "yes");
    answer["body"].clone()
}

#[tokio::test]
async fn each_method_sends_params_and_bodies_as_the_rest_module_does() {
    let echo = start_echo().await;
    let app = app_reaching_loopback().await;
    let url = format!("{echo}/orders");
    let get = echoed(&app, json!({"method": "GET", "url": url, "params": {"id": "7", "q": "a b"}, "headers": {"X-Custom": "1"}, "return_type": "JSON"})).await;
    assert_eq!(
        (get["method"].as_str(), get["query"].as_str(), get["x_custom"].as_str()),
        (Some("GET"), Some("id=7&q=a+b"), Some("1"))
    );
    let post =
        echoed(&app, json!({"method": "POST", "url": url, "params": {"name": "Ann"}, "return_type": "JSON"})).await;
    assert_eq!(
        (post["content_type"].as_str(), post["body"].as_str()),
        (Some("application/x-www-form-urlencoded"), Some("name=Ann"))
    );
    let soap = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>";
    let raw = echoed(&app, json!({"method": "POST RAW", "url": url, "headers": {"Content-Type": "text/xml", "SOAPAction": "Get"}, "body": soap, "return_type": "JSON"})).await;
    assert_eq!((raw["content_type"].as_str(), raw["body"].as_str()), (Some("text/xml"), Some(soap)));
    let put = echoed(&app, json!({"method": "PUT", "url": url, "body": "{\"a\":1}", "return_type": "JSON"})).await;
    assert_eq!((put["method"].as_str(), put["body"].as_str()), (Some("PUT"), Some("{\"a\":1}")));
    let delete =
        echoed(&app, json!({"method": "DELETE", "url": url, "params": {"id": "7"}, "return_type": "JSON"})).await;
    assert_eq!((delete["method"].as_str(), delete["query"].as_str()), (Some("DELETE"), Some("id=7")));
}

#[tokio::test]
async fn answers_are_parsed_as_their_return_type_or_reported() {
    let echo = start_echo().await;
    let app = app_reaching_loopback().await;
    let csv: Value = send(&app, json!({"method": "GET", "url": format!("{echo}/csv"), "return_type": "CSV"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(csv["body"], json!([["id", "name"], ["1", "Ann, A."]]));
    let text: Value = send(&app, json!({"method": "GET", "url": format!("{echo}/csv"), "return_type": "TEXT"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(text["body"], "id,name\n1,\"Ann, A.\"\n");
    let empty: Value =
        send(&app, json!({"method": "GET", "url": echo, "return_type": "EMPTY"})).await.json().await.unwrap();
    assert_eq!((empty["status"].as_u64(), &empty["body"]), (Some(200), &Value::Null));
    let response = send(&app, json!({"method": "GET", "url": format!("{echo}/csv"), "return_type": "XML"})).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(error_body(response).await.code, "answer_not_of_return_type");
}

#[tokio::test]
async fn answers_are_limited_in_size_and_time_and_bad_requests_are_422() {
    let echo = start_echo().await;
    let app = app_reaching_loopback().await;
    let response = send(&app, json!({"method": "GET", "url": format!("{echo}/big"), "return_type": "TEXT"})).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(error_body(response).await.code, "answer_too_large");
    let response = send(&app, json!({"method": "GET", "url": format!("{echo}/slow"), "return_type": "EMPTY"})).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(error_body(response).await.code, "timeout");
    let response =
        send(&app, json!({"method": "GET", "url": echo, "headers": {"Bad Header": "x"}, "return_type": "JSON"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = send(&app, json!({"method": "PATCH", "url": echo, "return_type": "JSON"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "an unknown method is a malformed request");
    let response = send(&app, json!({"method": "GET", "url": "not a url", "return_type": "JSON"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
