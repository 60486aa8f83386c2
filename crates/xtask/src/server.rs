//! Servers started for `bench` and the conformance stage of `test` (the release or debug
//! binary, the reference handler), the PostgreSQL database a run uses, and the few API
//! calls that prepare a scenario.

use crate::process::output;
use anyhow::{bail, Context};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    _data: Option<TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `command` on a free loopback port and waits until it accepts connections.
    pub fn start(mut command: Command, data: Option<TempDir>) -> anyhow::Result<Server> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr = format!("127.0.0.1:{port}");
        let child =
            command.env("KEYDESK_ADDR", &addr).stdout(Stdio::null()).spawn().context("could not start the server")?;
        let server = Server { child, url: format!("http://{addr}"), _data: data };
        let started = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                bail!("the server did not listen on {addr} within 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// Resident memory now, in bytes (VmRSS from /proc).
    pub fn resident_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kib: u64 =
            status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    }
}

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        TempDir(std::env::temp_dir().join(format!("keydesk-xtask-{name}-{}", std::process::id())))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // A folder, or a single file (a cookie jar).
        let _ = std::fs::remove_dir_all(&self.0).or_else(|_| std::fs::remove_file(&self.0));
    }
}

/// A database of its own on the PostgreSQL server, dropped at the end of the run.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// `None` (with the reason) when no PostgreSQL answers or psql is missing.
    pub fn create(admin_url: &str) -> Result<PgDatabase, String> {
        let name = format!("keydesk_bench_{}", std::process::id());
        let created = output(Command::new("psql").args([admin_url, "-qc", &format!("CREATE DATABASE {name}")]));
        if created.is_none() {
            return Err(format!("could not create a database with psql at {admin_url}"));
        }
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(base, _)| base);
        Ok(PgDatabase { admin_url: admin_url.to_string(), url: format!("{base}/{name}"), name })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = output(Command::new("psql").args([&self.admin_url, "-qc", &drop]));
    }
}

pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "Sup3r-secret!";

/// Signs up an account for `email` (password [`PASSWORD`]); the answer, with its session cookie in `jar`.
pub fn sign_up(url: &str, email: &str, jar: &str) -> anyhow::Result<String> {
    let body = format!(r#"{{"account_name":"Bench","name":"Bench","email":"{email}","password":"{PASSWORD}"}}"#);
    output(
        Command::new("curl")
            .args(["-sf", "-c", jar, "-H", "content-type: application/json", "-d", &body])
            .arg(format!("{url}/api/v1/accounts")),
    )
    .with_context(|| format!("signing up {email} failed (is curl installed?)"))
}

/// Signs up `email` and returns its session cookie as a `Cookie` header value.
pub fn session_cookie(url: &str, email: &str) -> anyhow::Result<String> {
    let jar = TempDir::new("browser-jar");
    sign_up(url, email, &jar.0.to_string_lossy())?;
    let cookies = std::fs::read_to_string(&jar.0).context("curl kept no cookies")?;
    // Netscape cookie file: domain, subdomains, path, secure, expiry, name, value (tab-separated).
    cookies
        .lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|fields| fields.len() == 7 && fields[5] == "keydesk_session")
        .map(|fields| format!("keydesk_session={}", fields[6]))
        .context("no keydesk_session cookie after signing up")
}

/// Signs up [`EMAIL`] and generates a developer key (curl keeps the session cookie).
pub fn developer_key(url: &str) -> anyhow::Result<String> {
    let jar = TempDir::new("jar");
    let jar = jar.0.to_string_lossy().into_owned();
    let signed_up = sign_up(url, EMAIL, &jar)?;
    let csrf = json_string(&signed_up, "csrf_token").context("no csrf_token in the sign-up answer")?;
    let generated = output(
        Command::new("curl")
            .args(["-sf", "-b", &jar, "-H", "content-type: application/json", "-H"])
            .arg(format!("X-CSRF-Token: {csrf}"))
            .args(["-d", "{}"])
            .arg(format!("{url}/api/v1/me/developer-key")),
    )
    .context("generating a developer key failed")?;
    json_string(&generated, "key").context("no key in the answer")
}

/// Creates a personal access token scoped `profile:read` with the developer key and returns it.
pub fn access_token(url: &str, key: &str) -> anyhow::Result<String> {
    let created = output(
        Command::new("curl")
            .args(["-sf", "-H", "content-type: application/json", "-H", &format!("Authorization: Bearer {key}")])
            .args(["-d", r#"{"name":"bench","scopes":{"profile":"read"},"expires_in_days":30}"#])
            .arg(format!("{url}/api/v1/me/tokens")),
    )
    .context("creating an access token failed")?;
    json_string(&created, "token").context("no token in the answer")
}

/// Creates a JS library with the developer key and returns its id.
pub fn js_library(url: &str, key: &str) -> anyhow::Result<String> {
    let created = output(
        Command::new("curl")
            .args(["-sf", "-H", "content-type: application/json", "-H", &format!("Authorization: Bearer {key}")])
            .args(["-d", r#"{"name":"bench-updated","description":"","code":"function f() { return 0; }"}"#])
            .arg(format!("{url}/api/v1/js-libraries")),
    )
    .context("creating a JS library failed")?;
    json_string(&created, "id").context("no id in the answer")
}

/// The string value of `"name":"..."` in a flat JSON text (enough for these answers).
pub fn json_string(json: &str, name: &str) -> Option<String> {
    let start = json.find(&format!("\"{name}\":\""))? + name.len() + 4;
    let end = json[start..].find('"')? + start;
    Some(json[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_json_strings_are_found() {
        assert_eq!(json_string(r#"{"a":1,"key":"kd_x","b":"y"}"#, "key"), Some("kd_x".into()));
        assert_eq!(json_string(r#"{"a":1}"#, "key"), None);
    }
}
