//! Hostile clients: oversized bodies, slow heads and bodies, header floods, and many
//! concurrent guesses. Each gets a 4xx or a closed connection, and others are still served.

use crate::helpers::{error_body, spawn_app, spawn_app_with, TestApp, PASSWORD};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Long enough for any answer here, short enough that a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(20);

fn host(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

/// Writes `sent` on a raw connection, then reads until the server answers or closes.
async fn raw_exchange(app: &TestApp, sent: &[u8]) -> String {
    let mut stream = TcpStream::connect(host(app)).await.unwrap();
    // The server may close before reading everything; what it answered is what counts.
    let _ = stream.write_all(sent).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await.expect("the server never answered");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw answer, or `None` for a connection closed without one.
fn status_of(answer: &str) -> Option<u16> {
    answer.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

async fn still_serving(app: &TestApp) {
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_json_body_is_refused_in_the_contracts_shape() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let huge = "x".repeat(5 * 1024 * 1024);
    let response = app.post("/api/v1/js-libraries", json!({"name": "Big", "code": huge})).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(response).await.code, "payload_too_large");
    still_serving(&app).await;
}

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_is_refused_before_it_is_sent() {
    let app = spawn_app().await;
    let head = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{{",
        host(&app)
    );
    let answer = raw_exchange(&app, head.as_bytes()).await;
    assert_eq!(status_of(&answer), Some(413), "{answer}");
    still_serving(&app).await;
}

#[tokio::test]
async fn a_client_trickling_its_body_gets_408_and_others_are_served_meanwhile() {
    let app = spawn_app_with(|s| s.client_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(host(&app)).await.unwrap();
    let (mut reader, mut writer) = stream.split();
    let head = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"em",
        host(&app)
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    // One more byte now and then, never the whole body; the answer is read as it comes,
    // before the server's close could discard it.
    let trickle = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let read = async {
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(Ok(n @ 1..)) = tokio::time::timeout(PATIENCE, reader.read(&mut chunk)).await {
            answer.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&answer).into_owned()
    };
    let served = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        still_serving(&app).await;
    };
    let ((), answer, ()) = tokio::join!(trickle, read, served);
    assert_eq!(status_of(&answer), Some(408), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_head_is_cut_off() {
    let app = spawn_app_with(|s| s.client_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(host(&app)).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: keydesk\r\nX-Slow: ").await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await.expect("the connection stayed open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(status_of(&answer).is_none_or(|s| s == 408), "{answer}");
    still_serving(&app).await;
}

#[tokio::test]
async fn a_flood_of_headers_or_one_huge_header_gets_4xx_or_a_closed_connection() {
    let app = spawn_app().await;
    let many: String = (0..500).map(|i| format!("X-Flood-{i}: {i}\r\n")).collect();
    let huge = format!("X-Huge: {}\r\n", "a".repeat(1024 * 1024));
    for extra in [many, huge] {
        let request = format!("GET /healthz HTTP/1.1\r\nHost: keydesk\r\n{extra}\r\n");
        let answer = raw_exchange(&app, request.as_bytes()).await;
        assert!(status_of(&answer).is_none_or(|s| (400..500).contains(&s)), "{}", &answer[..answer.len().min(200)]);
        still_serving(&app).await;
    }
}

#[tokio::test]
async fn two_hundred_concurrent_wrong_passwords_get_no_more_guesses_than_the_limit() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let attempts = (0..200).map(|_| {
        let client = reqwest::Client::new();
        let url = app.url("/api/v1/session");
        async move {
            client
                .post(url)
                .json(&json!({"email": "ann@example.com", "password": "Wr0ng-guess!"}))
                .send()
                .await
                .unwrap()
        }
    });
    let statuses: Vec<StatusCode> = join_all(attempts).await.iter().map(|r| r.status()).collect();
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + refused, 200, "only 401 and 429: {statuses:?}");
    assert_eq!(checked, keydesk::auth::throttle::PER_EMAIL as usize, "guesses actually checked");
    // The right password is refused too until the window ends.
    assert_eq!(app.other_browser().sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn two_hundred_concurrent_calls_to_api_auth_get_exactly_fifteen_answers() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = app.post("/api/v1/me/developer-key", json!({})).await.json::<serde_json::Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let calls = (0..200).map(|_| {
        let client = reqwest::Client::new();
        let url = app.url("/api/auth");
        let form = [("tool", "dev"), ("login", "ann@example.com"), ("password", key.as_str())];
        async move { client.post(url).form(&form).send().await.unwrap().status() }
    });
    let statuses = join_all(calls).await;
    let issued = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let limited = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((issued, limited), (15, 185), "{statuses:?}");
}

/// The counters' own race: attempts that all find no window open one together. On PostgreSQL
/// a late one could see the window another had just opened and take it for a full one (a
/// stray 429 among the first 15 calls to `/api/auth`). Rounds make the interleaving likely.
#[tokio::test]
async fn simultaneous_first_attempts_are_all_counted_and_none_refused() {
    use keydesk::db::sign_in_failures;
    let app = spawn_app().await;
    // No more than the pool holds on SQLite (8): each takes its connection before the barrier.
    const ATTEMPTS: usize = 8;
    for round in 0..15 {
        let key = format!("ip:race-{round}");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(ATTEMPTS));
        let attempts: Vec<_> = (0..ATTEMPTS)
            .map(|_| {
                let (pool, key, barrier) = (app.pool.clone(), key.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    barrier.wait();
                    let now = chrono::Utc::now().naive_utc();
                    sign_in_failures::take(&mut conn, &key, 100, now, now - chrono::Duration::minutes(15)).unwrap()
                })
            })
            .collect();
        let refused = attempts.into_iter().map(|t| t.join().unwrap()).filter(Option::is_some).count();
        assert_eq!(refused, 0, "round {round}: attempts refused below the limit");

        use diesel::prelude::*;
        use keydesk::db::schema::sign_in_failures as f;
        let counted: i32 = f::table.find(&key).select(f::failures).first(&mut app.db()).unwrap();
        assert_eq!(counted, ATTEMPTS as i32, "round {round}");
    }
}
