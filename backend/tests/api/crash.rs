//! Crash safety: the real binary is killed with SIGKILL in the middle of a stream of
//! writes and started again. Every write it acknowledged is there, and SQLite's
//! integrity check passes.

use crate::admin_cli::keydesk;
use crate::helpers::{spawn_app, using_postgres, TestApp};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use serde_json::{json, Value};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The binary serving `app`'s data on a port of its own.
fn start(app: &TestApp, port: u16) -> Child {
    keydesk(app)
        .arg("serve")
        .env("KEYDESK_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn wait_until_healthy(url: &str) {
    for _ in 0..300 {
        if reqwest::get(format!("{url}/healthz")).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up at {url}");
}

#[derive(QueryableByName)]
struct IntegrityCheck {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

#[tokio::test]
async fn writes_acknowledged_before_a_kill_9_survive_it() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    let key = app.post("/api/v1/me/developer-key", json!({})).await.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = start(&app, port);
    wait_until_healthy(&url).await;

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (url, key, acknowledged) = (url.clone(), key.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for n in 0.. {
                    let body = json!({"name": format!("lib-{writer}-{n}"), "code": format!("var n = {n};")});
                    let sent = client.post(format!("{url}/api/v1/js-libraries")).bearer_auth(&key).json(&body).send();
                    let Ok(response) = sent.await else { break };
                    if response.status() != reqwest::StatusCode::CREATED {
                        break;
                    }
                    let Ok(created) = response.json::<Value>().await else { break };
                    acknowledged.lock().unwrap().push(created["id"].as_str().unwrap().to_string());
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 8, "the writes were under way: {} acknowledged", acknowledged.len());

    if !using_postgres() {
        let file = app.data_dir.path().join("keydesk.sqlite3");
        let mut conn = SqliteConnection::establish(file.to_str().unwrap()).unwrap();
        let checks: Vec<IntegrityCheck> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
        let verdicts: Vec<&str> = checks.iter().map(|c| c.integrity_check.as_str()).collect();
        assert_eq!(verdicts, ["ok"]);
    }
    let mut server = start(&app, port);
    wait_until_healthy(&url).await;
    let listed: Value = reqwest::Client::new()
        .get(format!("{url}/api/v1/js-libraries"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();
    let stored: Vec<&str> = listed.as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !stored.contains(&id.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged writes were lost: {lost:?}", lost.len(), acknowledged.len());
}
