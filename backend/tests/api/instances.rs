//! Several instances on one database: every state a user depends on is shared,
//! limits hold across instances, migrations run once, shutdown is graceful.
//! On SQLite the instances share the database file; on PostgreSQL, the database.

use crate::helpers::{settled, spawn_app_with, spawn_instance_of, TestApp, PASSWORD};
use keydesk::rate_limit::SharedLimits;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Two instances with shared limits (the PostgreSQL default; asked for on SQLite).
async fn two_instances() -> (TestApp, TestApp) {
    let first = spawn_app_with(|s| s.shared_limits = SharedLimits::Database).await;
    let second = spawn_instance_of(&first, |s| s.shared_limits = SharedLimits::Database).await;
    (first, second)
}

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_the_other() {
    let (first, second) = two_instances().await;
    let response = first.sign_up("ann@example.com").await;
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let response =
        second.client.get(second.url("/api/v1/me")).header("cookie", cookies.join("; ")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["email"], "ann@example.com");
}

#[tokio::test]
async fn fifty_parallel_api_auth_requests_spread_over_two_instances_give_exactly_15() {
    let (first, second) = two_instances().await;
    let client = crate::helpers::new_client();
    let requests =
        (0..50).map(|i| {
            let url = if i % 2 == 0 { first.url("/api/auth") } else { second.url("/api/auth") };
            let client = client.clone();
            let login = format!("{}@example.com", uuid::Uuid::new_v4().simple());
            async move {
                client.post(url).form(&[("tool", "dev"), ("login", login.as_str()), ("password", "x")]).send().await
            }
        });
    let responses = futures_util::future::join_all(requests).await;
    let mut passed = 0;
    let mut remaining_seen = Vec::new();
    for response in responses {
        let response = response.unwrap();
        if response.status() != StatusCode::TOO_MANY_REQUESTS {
            passed += 1;
            remaining_seen.push(response.headers()["x-ratelimit-remaining"].to_str().unwrap().parse::<u32>().unwrap());
        }
    }
    assert_eq!(passed, 15);
    remaining_seen.sort_unstable();
    assert_eq!(remaining_seen, (0..15).collect::<Vec<u32>>(), "each allowed answer counts down exactly once");
}

#[tokio::test]
async fn a_developer_key_regenerated_through_one_instance_is_refused_by_the_other_at_once() {
    let (first, second) = two_instances().await;
    first.signed_up("ann@example.com").await;
    let old: Value = first.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let old = old["key"].as_str().unwrap().to_string();
    let me_on_second = |key: String| {
        let url = second.url("/api/v1/me");
        async move { crate::helpers::new_client().get(url).bearer_auth(key).send().await.unwrap().status() }
    };
    assert_eq!(me_on_second(old.clone()).await, StatusCode::OK);
    let new: Value = first.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    assert_eq!(settled(|| me_on_second(old.clone())).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_on_second(new["key"].as_str().unwrap().to_string()).await, StatusCode::OK);
}

#[tokio::test]
async fn instances_starting_together_on_a_fresh_database_migrate_once() {
    use crate::helpers::{fresh_postgres_database, postgres_admin_url, using_postgres};
    use diesel::prelude::*;
    use keydesk::{config::Settings, startup::Application};
    let data = tempfile::tempdir().unwrap();
    let url = if using_postgres() { Some(fresh_postgres_database().await) } else { None };
    let settings = || Settings::for_tests(data.path().to_path_buf(), url.clone());
    let (a, b, c) =
        tokio::join!(Application::build(settings()), Application::build(settings()), Application::build(settings()));
    for started in [a, b, c] {
        assert!(started.is_ok(), "{:?}", started.err());
    }

    diesel::table! { __diesel_schema_migrations (version) { version -> Text, } }
    let location = settings().database_location();
    let mut conn = keydesk::db::pool::connect_sized(&location, 1).unwrap().get().unwrap();
    let versions: Vec<String> =
        __diesel_schema_migrations::table.select(__diesel_schema_migrations::version).load(&mut conn).unwrap();
    let unique: std::collections::HashSet<_> = versions.iter().collect();
    assert_eq!(unique.len(), versions.len(), "{versions:?}");
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite")).unwrap().count();
    assert_eq!(versions.len(), folders);
    drop(conn);
    if let Some(name) = url.as_deref().and_then(|u| u.rsplit_once('/')).map(|(_, n)| n.to_string()) {
        let mut admin = diesel::PgConnection::establish(&postgres_admin_url()).unwrap();
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).unwrap();
    }
}

#[tokio::test]
async fn sign_in_throttling_counts_failures_from_every_instance() {
    let (first, second) = two_instances().await;
    first.signed_up("ann@example.com").await;
    for i in 0..keydesk::auth::throttle::PER_EMAIL {
        let instance = if i % 2 == 0 { &first } else { &second };
        instance.other_browser().sign_in("ann@example.com", "Wrong-pass1").await;
    }
    let response = second.other_browser().sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    use std::io::{BufRead, BufReader, Read, Write};
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_keydesk"))
        .env("KEYDESK_DATA_DIR", data.path())
        .env("KEYDESK_ADDR", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = line.trim().rsplit(' ').next().unwrap().trim_end_matches('/').to_string();
    let addr = url.trim_start_matches("http://").to_string();

    // A request whose body is only half sent when SIGTERM arrives.
    let body = r#"{"email":"nobody@example.com","password":"Wrong-pass1"}"#;
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first_half}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(std::net::TcpStream::connect(&addr).is_err(), "no new connections once stopping");

    stream.write_all(second_half.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "the request in flight was answered: {answer}");
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn a_session_ended_on_one_instance_is_refused_by_the_other_at_once() {
    let (first, second) = two_instances().await;
    first.signed_up("ann@example.com").await;
    // A second browser signs in on the first instance; its cookies work on the second too.
    let laptop = first.other_browser();
    assert_eq!(laptop.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    let on_second = || laptop.client.get(second.url("/api/v1/me")).send();
    assert_eq!(on_second().await.unwrap().status(), StatusCode::OK);

    let listed: Vec<Value> = first.get("/api/v1/me/sessions").await.json().await.unwrap();
    let theirs = listed.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(first.delete(&format!("/api/v1/me/sessions/{theirs}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(settled(|| async { on_second().await.unwrap().status() }).await, StatusCode::UNAUTHORIZED);
}

/// Issue 18's test: instance B, under load from a polling script, refuses within a second what
/// instance A revoked (a regenerated key, a deactivated user, an ended session), and reads back
/// the names A changed, while it remembers reads between changes.
#[tokio::test]
async fn changes_on_one_instance_reach_the_other_within_a_second_under_load() {
    let (a, b) = two_instances().await;
    let ann = a.signed_up("ann@example.com").await;
    let account_id = ann["account"]["id"].as_str().unwrap().to_string();
    let output = crate::admin_cli::keydesk(&a)
        .args(["admin", "create-user", "--email", "sam@example.com", "--name", "Sam", "--account-id", &account_id])
        .args(["--role", "standard"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let sam = a.other_browser();
    let sam_id = sam.sign_in("sam@example.com", PASSWORD).await.json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sams_key: Value = sam.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let sams_key = sams_key["key"].as_str().unwrap().to_string();
    let key: Value = a.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_string();

    // The load: eight scripts polling B with Ann's key until the test ends.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..8)
        .map(|_| {
            let (url, key, stop) = (b.url("/api/v1/me"), key.clone(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = client.get(&url).bearer_auth(&key).send().await;
                }
            })
        })
        .collect();
    let on_b = |credential: String| {
        let url = b.url("/api/v1/me");
        async move { reqwest::Client::new().get(url).bearer_auth(credential).send().await.unwrap() }
    };
    let within_a_second = |credential: String, expected: StatusCode| {
        let on_b = &on_b;
        async move {
            let start = std::time::Instant::now();
            loop {
                let status = on_b(credential.clone()).await.status();
                if status == expected {
                    return start.elapsed();
                }
                assert!(start.elapsed() < std::time::Duration::from_secs(1), "still {status} after a second");
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
    };

    // A name changed on A reads back from B.
    assert_eq!(on_b(key.clone()).await.json::<Value>().await.unwrap()["name"], "Ann Example");
    assert_eq!(a.patch("/api/v1/me", json!({"name": "Ann Changed"})).await.status(), StatusCode::OK);
    let start = std::time::Instant::now();
    while on_b(key.clone()).await.json::<Value>().await.unwrap()["name"] != "Ann Changed" {
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "the old name after a second");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    // A regenerated key.
    assert_eq!(on_b(key.clone()).await.status(), StatusCode::OK);
    let new_key: Value = a.post("/api/v1/me/developer-key", json!({})).await.json().await.unwrap();
    within_a_second(key.clone(), StatusCode::UNAUTHORIZED).await;
    within_a_second(new_key["key"].as_str().unwrap().to_string(), StatusCode::OK).await;

    // A deactivated user.
    assert_eq!(on_b(sams_key.clone()).await.status(), StatusCode::OK);
    assert_eq!(a.patch(&format!("/api/v1/users/{sam_id}"), json!({"active": false})).await.status(), StatusCode::OK);
    within_a_second(sams_key, StatusCode::UNAUTHORIZED).await;

    // An ended session.
    let laptop = a.other_browser();
    assert_eq!(laptop.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    let laptop_on_b = || laptop.client.get(b.url("/api/v1/me")).send();
    assert_eq!(laptop_on_b().await.unwrap().status(), StatusCode::OK);
    let listed: Vec<Value> = a.get("/api/v1/me/sessions").await.json().await.unwrap();
    let theirs = listed.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(a.delete(&format!("/api/v1/me/sessions/{theirs}")).await.status(), StatusCode::NO_CONTENT);
    let start = std::time::Instant::now();
    while laptop_on_b().await.unwrap().status() != StatusCode::UNAUTHORIZED {
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "the ended session still works after a second");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
}

/// What one instance keeps, a write through another voids: on SQLite through the shared counter
/// file, on PostgreSQL through the database's change notice, heard on the listener's connection.
/// Between writes the read is kept, on both.
#[tokio::test]
async fn a_kept_read_lasts_until_a_write_anywhere() {
    let app = spawn_app_with(|_| {}).await;
    app.signed_up("ann@example.com").await;
    let reads = keydesk::recent::RecentReads::for_database(&app.database).unwrap();
    let start = std::time::Instant::now();
    while reads.generation().is_none() {
        assert!(start.elapsed() < std::time::Duration::from_secs(3), "the change listener never connected");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let kept = actix_web::web::Bytes::from_static(b"{}");
    reads.me.put("ann".to_string(), kept, reads.generation());
    // A read elsewhere changes nothing.
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(reads.me.get(&"ann".to_string(), reads.generation()).is_some(), "kept between writes");

    assert_eq!(app.patch("/api/v1/me", json!({"name": "Ann Changed"})).await.status(), StatusCode::OK);
    let start = std::time::Instant::now();
    while reads.me.get(&"ann".to_string(), reads.generation()).is_some() {
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "still kept a second after the write");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}
