//! Anonymous floods (issue 15, item 2): every request an attacker can send without an account
//! is bounded in the rows it stores and the hashing it costs.

use crate::api_auth::auth_from;
use crate::helpers::{error_body, spawn_app_with, TestApp, PASSWORD};
use diesel::prelude::*;
use keydesk::db::schema::{rate_limit_counters, sessions, sign_in_failures};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

fn behind_proxy(s: &mut keydesk::config::Settings) {
    s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
}

/// Behind a trusted proxy, so each test names its client addresses in `X-Forwarded-For`.
async fn behind_proxy_allowing_sign_ups(per_hour: u32) -> TestApp {
    spawn_app_with(move |s| {
        behind_proxy(s);
        s.signups_per_hour = per_hour;
    })
    .await
}

async fn sign_up_from(app: &TestApp, forwarded_for: &str) -> reqwest::Response {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    app.other_browser()
        .client
        .post(app.url("/api/v1/accounts"))
        .header("X-Forwarded-For", forwarded_for)
        .json(&json!({"account_name": "Acme", "name": "Mallory", "email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_email_over_254_characters_is_refused_before_anything_is_counted_or_stored() {
    let app = spawn_app_with(|_| {}).await;
    let long = format!("{}@example.com", "a".repeat(255 - "@example.com".len()));
    let response = app.post("/api/v1/session", json!({"email": long, "password": "x"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(response).await.field("email").is_empty());
    let response = app
        .post("/api/v1/accounts", json!({"account_name": "A", "name": "M", "email": long, "password": PASSWORD}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = [("tool", "dev"), ("login", long.as_str()), ("password", "x")];
    let response = app.client.post(app.url("/api/auth")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "the original endpoint's status for an invalid field");

    let failures: i64 = sign_in_failures::table.count().get_result(&mut app.db()).unwrap();
    assert_eq!(failures, 0, "no counter was made for the long addresses");
}

#[tokio::test]
async fn a_flood_of_sign_ups_from_one_address_is_stopped_with_retry_after() {
    let app = behind_proxy_allowing_sign_ups(3).await;
    for _ in 0..3 {
        assert_eq!(sign_up_from(&app, "203.0.113.5").await.status(), StatusCode::CREATED);
    }
    let refused = sign_up_from(&app, "203.0.113.5").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&wait), "about an hour: {wait}");
    assert_eq!(error_body(refused).await.code, "rate_limited");
    assert_eq!(sign_up_from(&app, "203.0.113.6").await.status(), StatusCode::CREATED, "another address is not held up");
}

#[tokio::test]
async fn sign_ups_from_addresses_in_one_ipv6_64_share_one_limit() {
    let app = behind_proxy_allowing_sign_ups(2).await;
    assert_eq!(sign_up_from(&app, "2001:db8:1:2::1").await.status(), StatusCode::CREATED);
    assert_eq!(sign_up_from(&app, "2001:db8:1:2::2").await.status(), StatusCode::CREATED);
    assert_eq!(sign_up_from(&app, "2001:db8:1:2:ffff:1:2:3").await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        sign_up_from(&app, "2001:db8:1:3::1").await.status(),
        StatusCode::CREATED,
        "the next /64 is another client"
    );
}

#[tokio::test]
async fn rotating_addresses_within_one_ipv6_64_does_not_escape_the_api_auth_limit() {
    let app = spawn_app_with(behind_proxy).await;
    for i in 0..15 {
        assert_eq!(auth_from(&app, &format!("2001:db8:7:7::{i:x}")).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(auth_from(&app, "2001:db8:7:7::99").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(auth_from(&app, "2001:db8:7:8::1").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_failures_from_one_ipv6_64_share_the_address_limit() {
    let app = spawn_app_with(behind_proxy).await;
    let ip_counters = || -> Vec<String> {
        sign_in_failures::table
            .select(sign_in_failures::key)
            .filter(sign_in_failures::key.like("ip:%"))
            .load(&mut app.db())
            .unwrap()
    };
    for i in 0..5 {
        let email = format!("{i}@example.com");
        app.client
            .post(app.url("/api/v1/session"))
            .header("X-Forwarded-For", format!("2001:db8:5:5::{i}"))
            .json(&json!({"email": email, "password": "wrong"}))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(ip_counters(), vec!["ip:2001:db8:5:5::".to_string()]);
}

#[tokio::test]
async fn a_full_hashing_queue_answers_503_server_busy_with_retry_after() {
    let app = spawn_app_with(|s| s.hash_queue = 1).await;
    app.signed_up("ann@example.com").await;
    // Fewer than the 10 attempts per email that may be counted at once, so only the queue refuses.
    let attempts = (0..9).map(|_| {
        let browser = app.other_browser();
        async move { browser.sign_in("ann@example.com", PASSWORD).await }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    assert!(statuses.contains(&StatusCode::OK), "the first is served: {statuses:?}");
    assert!(
        statuses.iter().all(|s| [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
        "a refused hash is no wrong guess, so nothing is throttled: {statuses:?}"
    );
    let busy = answers.into_iter().find(|r| r.status() == StatusCode::SERVICE_UNAVAILABLE);
    let busy = busy.expect("9 hashes at once overflow a queue of 1");
    assert_eq!(busy.headers()["retry-after"], "1");
    assert_eq!(error_body(busy).await.code, "server_busy");
}

#[tokio::test]
async fn after_a_flood_the_scheduled_purge_leaves_no_rows_whose_time_is_over() {
    let app = spawn_app_with(|s| s.purge_interval = Duration::from_millis(200)).await;
    // The flood: failed sign-ins for many addresses, sign-ups, and the sessions they leave.
    for i in 0..30 {
        app.other_browser().sign_in(&format!("victim{i}@example.com"), "wrong").await;
    }
    for i in 0..3 {
        app.other_browser().signed_up(&format!("bot{i}@example.com")).await;
    }
    let count = |app: &TestApp| -> (i64, i64, i64) {
        let conn = &mut app.db();
        (
            sign_in_failures::table.count().get_result(conn).unwrap(),
            rate_limit_counters::table.count().get_result(conn).unwrap(),
            sessions::table.count().get_result(conn).unwrap(),
        )
    };
    let (failures, counters, live) = count(&app);
    assert!(failures > 30 && live == 3, "the flood was stored: {:?}", (failures, counters, live));

    // Time passes: every window ends and every session expires.
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(2);
    let conn = &mut app.db();
    diesel::update(sign_in_failures::table).set(sign_in_failures::window_start.eq(past)).execute(conn).unwrap();
    diesel::update(rate_limit_counters::table).set(rate_limit_counters::window_start.eq(past)).execute(conn).unwrap();
    diesel::update(sessions::table).set(sessions::expires_at.eq(past)).execute(conn).unwrap();

    for _ in 0..50 {
        if count(&app) == (0, 0, 0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("rows are left after their time: {:?}", count(&app));
}
