//! `cargo xtask bench`: the release server under load from wrk, each figure beside
//! its reference taken in the same run; printed and written to BENCHMARKS.md.

use crate::process::{self, output, step};
use crate::setup;
use crate::Workspace;
use anyhow::{bail, Context};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: &str = "64";
const DURATION: &str = "10s";

/// A server process, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    _data: Option<TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One wrk run's figures.
struct Load {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

struct Row {
    scenario: String,
    load: Load,
    reference: Option<(String, f64)>,
}

pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    setup::wrk()?;
    step("Building the release server and the reference handler", "about 4 minutes the first time", || {
        process::run(process::cargo(ws).args([
            "build",
            "--release",
            "-p",
            "keydesk",
            "--bin",
            "keydesk",
            "--example",
            "ceiling",
        ]))
    })?;
    let release = ws.target.join("release");
    let ceiling = start(Command::new(release.join("examples/ceiling")), None)?;
    let ceiling_load = wrk(&format!("{}/api/v1/me", ceiling.url), None)?;
    drop(ceiling);

    let mut rows =
        vec![Row { scenario: "reference: plain actix-web JSON handler".into(), load: ceiling_load, reference: None }];
    let ceiling_rps = rows[0].load.requests_per_sec;
    let data = TempDir(std::env::temp_dir().join(format!("keydesk-bench-{}", std::process::id())));
    let mut command = Command::new(release.join("keydesk"));
    command.env("KEYDESK_DATA_DIR", &data.0).env("RUST_LOG", "error").env_remove("DATABASE_URL");
    let server = start(command, Some(data))?;
    let key = developer_key(&server.url)?;
    let load = wrk(&format!("{}/api/v1/me", server.url), Some(&format!("Authorization: Bearer {key}")))?;
    rows.push(Row {
        scenario: "developer-key GET /api/v1/me (SQLite)".into(),
        load,
        reference: Some(("reference".into(), ceiling_rps)),
    });
    drop(server);

    let table = render(&rows);
    println!("\n{table}");
    let machine = describe_machine();
    let doc = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` ({CONNECTIONS} connections, {DURATION} per scenario, wrk, loopback).\n\
         Every ratio compares figures taken in the same run.\n\nMachine: {machine}\n\n{table}\n"
    );
    std::fs::write(ws.root.join("BENCHMARKS.md"), doc).context("Failed to write BENCHMARKS.md")?;
    println!("Written to BENCHMARKS.md");
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start(mut command: Command, data: Option<TempDir>) -> anyhow::Result<Server> {
    let port = free_port()?;
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

/// Signs up through the API with curl and generates a developer key.
fn developer_key(url: &str) -> anyhow::Result<String> {
    let jar = std::env::temp_dir().join(format!("keydesk-bench-jar-{}", std::process::id()));
    let jar = jar.to_string_lossy().into_owned();
    let body = r#"{"account_name":"Bench","name":"Bench","email":"bench@example.com","password":"Sup3r-secret!"}"#;
    let signed_up = output(
        Command::new("curl")
            .args(["-sf", "-c", &jar, "-H", "content-type: application/json", "-d", body])
            .arg(format!("{url}/api/v1/accounts")),
    )
    .context("sign-up failed (is curl installed?)")?;
    let csrf = json_string(&signed_up, "csrf_token").context("no csrf_token in the sign-up answer")?;
    let generated = output(
        Command::new("curl")
            .args(["-sf", "-b", &jar, "-H", "content-type: application/json", "-H"])
            .arg(format!("X-CSRF-Token: {csrf}"))
            .args(["-d", "{}"])
            .arg(format!("{url}/api/v1/me/developer-key")),
    )
    .context("generating a developer key failed")?;
    let _ = std::fs::remove_file(&jar);
    json_string(&generated, "key").context("no key in the answer")
}

/// The string value of `"name":"..."` in a flat JSON text (enough for these answers).
fn json_string(json: &str, name: &str) -> Option<String> {
    let start = json.find(&format!("\"{name}\":\""))? + name.len() + 4;
    let end = json[start..].find('"')? + start;
    Some(json[start..end].to_string())
}

fn wrk(url: &str, header: Option<&str>) -> anyhow::Result<Load> {
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c", CONNECTIONS, "-d", DURATION, "--latency"]);
    if let Some(header) = header {
        command.args(["-H", header]);
    }
    let text = output(command.arg(url)).context("wrk failed")?;
    let non_2xx = text.lines().find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"));
    if let Some(n) = non_2xx {
        bail!("{n} requests to {url} failed during the load; the figures would be meaningless");
    }
    parse_wrk(&text).with_context(|| format!("could not read wrk's output:\n{text}"))
}

fn parse_wrk(text: &str) -> Option<Load> {
    let field = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()));
    let requests_per_sec = field("Requests/sec:")?.parse().ok()?;
    Some(Load { requests_per_sec, p50_ms: millis(&field("50%")?)?, p99_ms: millis(&field("99%")?)? })
}

/// wrk prints `812.00us`, `1.23ms` or `2.01s`.
fn millis(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        _ => None,
    }
}

fn render(rows: &[Row]) -> String {
    let mut table = String::from(
        "| scenario | requests/s | p50 ms | p99 ms | throughput vs reference |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    for row in rows {
        let ratio = row
            .reference
            .as_ref()
            .map(|(_, rps)| format!("{:.0}%", 100.0 * row.load.requests_per_sec / rps))
            .unwrap_or_else(|| "100%".into());
        table.push_str(&format!(
            "| {} | {:.0} | {:.2} | {:.2} | {ratio} |\n",
            row.scenario, row.load.requests_per_sec, row.load.p50_ms, row.load.p99_ms
        ));
    }
    table
}

fn describe_machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| info.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string()))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map(|kib| format!("{} GiB", kib / 1024 / 1024))
        .unwrap_or_default();
    format!("{cores} cores, {cpu}, {memory}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_latencies_read_in_milliseconds() {
        assert_eq!(millis("812.00us"), Some(0.812));
        assert_eq!(millis("1.50ms"), Some(1.5));
        assert_eq!(millis("2.00s"), Some(2000.0));
    }

    #[test]
    fn wrk_output_gives_throughput_and_percentiles() {
        let text = "  Latency Distribution\n     50%  620.00us\n     75%    1.00ms\n     90%    2.00ms\n     99%    4.25ms\n  \
                    100000 requests in 10.00s, 20.00MB read\nRequests/sec:  10000.50\nTransfer/sec:      2.00MB\n";
        let load = parse_wrk(text).unwrap();
        assert_eq!(load.requests_per_sec, 10000.5);
        assert_eq!((load.p50_ms, load.p99_ms), (0.62, 4.25));
    }

    #[test]
    fn flat_json_strings_are_found() {
        assert_eq!(json_string(r#"{"a":1,"key":"kd_x","b":"y"}"#, "key"), Some("kd_x".into()));
        assert_eq!(json_string(r#"{"a":1}"#, "key"), None);
    }
}
