//! Random request bodies for every operation that takes JSON: arbitrary bytes, arbitrary
//! JSON, and the operation's own fields with values of any type. None may get a 5xx.

use crate::helpers::{spawn_app, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::Value;

/// Cases per operation: enough to reach every field's checks, bounded for `cargo xtask test`.
const CASES: u32 = 40;

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    Json(Value),
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN", |f| f.is_finite()).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[a-z0-9@.:/ _-]{0,24}".prop_map(Value::from),
        (0usize..70_000).prop_map(|n| Value::from("x".repeat(n))),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn bodies(fields: Vec<String>) -> BoxedStrategy<Body> {
    let own_fields = if fields.is_empty() {
        any_json().boxed()
    } else {
        prop::collection::vec((prop::sample::select(fields), any_json()), 0..8)
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
            .boxed()
    };
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600).prop_map(Body::Bytes),
        any_json().prop_map(Body::Json),
        own_fields.prop_map(Body::Json),
    ]
    .boxed()
}

/// Each operation with a JSON body: method, path (ids filled in) and its schema's field names.
fn json_operations(doc: &Value) -> Vec<(Method, String, Vec<String>)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(schema) = operation["requestBody"]["content"]["application/json"].get("schema") else { continue };
            let schema = match schema["$ref"].as_str() {
                Some(reference) => &doc["components"]["schemas"][reference.rsplit('/').next().unwrap()],
                None => schema,
            };
            let fields = schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
            let path = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
            found.push((Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), path, fields));
        }
    }
    found
}

async fn send(app: &TestApp, method: Method, path: &str, body: &Body) -> u16 {
    let request = app
        .client
        .request(method, app.url(path))
        .header("X-CSRF-Token", app.csrf_token())
        .header("Content-Type", "application/json");
    let request = match body {
        Body::Bytes(bytes) => request.body(bytes.clone()),
        Body::Json(value) => request.body(value.to_string()),
    };
    request.send().await.unwrap().status().as_u16()
}

#[test]
fn random_json_bodies_never_get_a_server_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (app, operations) = runtime.block_on(async {
        let app = spawn_app().await;
        app.signed_up("ann@example.com").await;
        let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
        let operations = json_operations(&doc);
        (app, operations)
    });
    assert!(operations.len() >= 20, "{} operations take JSON", operations.len());
    for (method, path, fields) in operations {
        let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&bodies(fields), |body| {
            let status = runtime.block_on(send(&app, method.clone(), &path, &body));
            prop_assert!(status < 500, "{method} {path} answered {status}");
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }
    runtime.block_on(async { assert_eq!(app.get("/healthz").await.status(), reqwest::StatusCode::OK) });
}
