//! `spawn_app()` and the small client the tests talk through.

use diesel::prelude::*;
use keydesk::config::Settings;
use keydesk::db::{pool, DbPool};
use keydesk::startup::Application;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use std::sync::Mutex;
use tempfile::TempDir;

pub const PASSWORD: &str = "Sup3r-secret!";

pub struct TestApp {
    pub address: String,
    pub data_dir: TempDir,
    pub database: String,
    pub pool: DbPool,
    pub client: reqwest::Client,
    csrf: Mutex<Option<String>>,
    /// The first `TestApp` of a test drops its PostgreSQL database at the end.
    owns_database: bool,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some((_, name)) = self.database.rsplit_once('/').filter(|_| self.owns_database && using_postgres()) else {
            return;
        };
        let name = name.to_string();
        // FORCE ends the server's pooled connections, which are still open.
        let _ = std::thread::spawn(move || {
            if let Ok(mut conn) = diesel::PgConnection::establish(&postgres_admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
            }
        })
        .join();
    }
}

/// Where the tests' PostgreSQL databases are made; each test gets its own. Every test's first
/// connection to PostgreSQL starts here, so OpenSSL is initialised here first (see `init_tls`).
pub fn postgres_admin_url() -> String {
    pool::init_tls();
    std::env::var("KEYDESK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn using_postgres() -> bool {
    std::env::var("KEYDESK_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

pub async fn fresh_postgres_database() -> String {
    tokio::task::spawn_blocking(|| {
        let admin = postgres_admin_url();
        let name = format!("kd_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = diesel::PgConnection::establish(&admin).expect("PostgreSQL is not reachable");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
        let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap();
        format!("{base}/{name}")
    })
    .await
    .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with settings adjusted first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        keydesk::telemetry::init();
    }
    let data_dir = tempfile::tempdir().unwrap();
    let database_url = if using_postgres() { Some(fresh_postgres_database().await) } else { None };
    let mut settings = Settings::for_tests(data_dir.path().to_path_buf(), database_url);
    adjust(&mut settings);
    let database = settings.database_location();
    let app = Application::build(settings).await.expect("the app failed to start");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    // The test's own reads and writes; as many as `hostile` holds at once. PostgreSQL's 100 slots are shared
    // by the tests running together, so not a server's worth.
    let pool = pool::connect_sized(&database, 8).unwrap();
    TestApp { address, data_dir, database, pool, client: new_client(), csrf: Mutex::new(None), owns_database: true }
}

/// [`spawn_app`] sending its mail to `smtp`, a real SMTP server on loopback.
pub async fn spawn_app_mailing_to(smtp: &crate::peers::SmtpServer) -> TestApp {
    let port = smtp.port;
    spawn_app_with(move |s| {
        s.mail.smtp_host = Some("127.0.0.1".into());
        s.mail.smtp_port = port;
        s.mail.smtp_tls = "none".into();
    })
    .await
}

/// A second instance of `app`'s server: same database, same data folder (so the same
/// secret key), its own memory, as another process behind the load balancer would be.
pub async fn spawn_instance_of(app: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let database_url = app.database.contains("://").then(|| app.database.clone());
    let mut settings = Settings::for_tests(app.data_dir.path().to_path_buf(), database_url);
    adjust(&mut settings);
    let instance = Application::build(settings).await.expect("the second instance failed to start");
    let address = format!("http://127.0.0.1:{}", instance.port());
    tokio::spawn(instance.run_until_stopped());
    TestApp {
        address,
        data_dir: tempfile::tempdir().unwrap(),
        database: app.database.clone(),
        pool: app.pool.clone(),
        client: new_client(),
        csrf: Mutex::new(None),
        owns_database: false,
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

impl TestApp {
    /// A second browser: same server, no cookies.
    pub fn other_browser(&self) -> TestApp {
        self.browser_with(new_client())
    }

    /// A second browser that names itself with `user_agent`.
    pub fn browser_as(&self, user_agent: &str) -> TestApp {
        self.browser_with(reqwest::Client::builder().cookie_store(true).user_agent(user_agent).build().unwrap())
    }

    fn browser_with(&self, client: reqwest::Client) -> TestApp {
        TestApp {
            address: self.address.clone(),
            data_dir: tempfile::tempdir().unwrap(),
            database: self.database.clone(),
            pool: self.pool.clone(),
            client,
            csrf: Mutex::new(None),
            owns_database: false,
        }
    }

    /// A direct connection to the app's database, for arranging and inspecting state.
    pub fn db(&self) -> diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<keydesk::db::DbConnection>> {
        self.pool.get().unwrap()
    }

    /// What the database holds, as raw as the test can see it: the SQLite file and its write-ahead log;
    /// on PostgreSQL, the values `columns` reads.
    pub fn stored_bytes(&self, columns: impl FnOnce(&mut keydesk::db::DbConnection) -> Vec<String>) -> Vec<u8> {
        if using_postgres() {
            return columns(&mut self.db()).concat().into_bytes();
        }
        ["keydesk.sqlite3", "keydesk.sqlite3-wal"]
            .iter()
            .filter_map(|f| std::fs::read(self.data_dir.path().join(f)).ok())
            .flatten()
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a request; writes carry the CSRF token of the last sign-in.
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.client.request(method.clone(), self.url(path));
        if method != Method::GET {
            if let Some(token) = self.csrf.lock().unwrap().clone() {
                req = req.header("X-CSRF-Token", token);
            }
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Response {
        self.request(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Response {
        self.request(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path, None).await
    }

    /// The CSRF token of the last sign-in, for requests built by hand (multipart uploads).
    pub fn csrf_token(&self) -> String {
        self.csrf.lock().unwrap().clone().unwrap_or_default()
    }

    pub fn remember_csrf(&self, body: &Value) {
        if let Some(token) = body["csrf_token"].as_str() {
            *self.csrf.lock().unwrap() = Some(token.to_string());
        }
    }

    pub async fn sign_up(&self, email: &str) -> Response {
        self.post(
            "/api/v1/accounts",
            json!({"account_name": "Acme", "name": "Ann Example", "email": email, "password": PASSWORD}),
        )
        .await
    }

    /// Signs up and keeps the session; returns the user.
    pub async fn signed_up(&self, email: &str) -> Value {
        let response = self.sign_up(email).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        self.remember_csrf(&body);
        body["user"].clone()
    }

    /// Signs up, keeps the session, and uses the verification link mailed to `smtp`; returns the user.
    pub async fn signed_up_verified(&self, email: &str, smtp: &crate::peers::SmtpServer) -> Value {
        let user = self.signed_up(email).await;
        let token = smtp.wait_for_link(email, "verify-email", 1).await;
        let response = self.post("/api/v1/email-verification", json!({"token": token})).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        user
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        let response = self.post("/api/v1/session", json!({"email": email, "password": password})).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        self.remember_csrf(&body);
        rebuild(status, headers, body)
    }
}

impl TestApp {
    /// The second step of a two-factor sign-in; keeps the session's CSRF token.
    pub async fn second_step(&self, body: Value) -> Response {
        let response = self.post("/api/v1/session/two-factor", body).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        self.remember_csrf(&body);
        rebuild(status, headers, body)
    }
}

/// Reading a body consumes a response; this makes an equivalent one for the caller.
fn rebuild(status: StatusCode, headers: reqwest::header::HeaderMap, body: Value) -> Response {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in &headers {
        builder = builder.header(name, value);
    }
    Response::from(builder.body(body.to_string()).unwrap())
}

/// The authenticator app's code for now, from the answer that set the app up.
pub fn current_totp_code(setup: &Value) -> String {
    let secret =
        data_encoding::BASE32_NOPAD.decode(setup["authenticator"]["secret"].as_str().unwrap().as_bytes()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    keydesk::auth::totp::code_at(&secret, now)
}

/// The body of an error response, checked to be in the contract's shape.
pub async fn error_body(response: Response) -> shared::ErrorBody {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not the contract's error shape ({e}): {text}"))
}

/// What `ask` answers once another instance's write has reached this one: at once on SQLite (the
/// instances share a counter file); on PostgreSQL, where the database's change notice travels to
/// the other instance, the first answer that differs from the one before the write, within a second.
pub async fn settled<F: std::future::Future<Output = StatusCode>>(ask: impl Fn() -> F) -> StatusCode {
    let first = ask().await;
    if !using_postgres() {
        return first;
    }
    let start = std::time::Instant::now();
    let mut answer = first;
    while answer == StatusCode::OK && start.elapsed() < std::time::Duration::from_secs(1) {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        answer = ask().await;
    }
    answer
}
