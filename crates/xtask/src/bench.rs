//! `cargo xtask bench`: the release server under load from wrk, each figure beside
//! its reference taken in the same run; printed and written to BENCHMARKS.md.

mod hashing;
mod load;
mod spa;

use crate::process::{self, step};
use crate::server::{self, PgDatabase, Server, TempDir, EMAIL, PASSWORD};
use crate::{setup, Workspace};
use anyhow::Context;
use load::{Load, Wrk, CONNECTIONS, SECONDS};
use std::process::Command;

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const SIGN_IN_USERS: u32 = 32;

/// One load scenario's figures beside its reference and its goal.
struct Row {
    scenario: String,
    load: Load,
    /// What the throughput is compared with, and that figure per second.
    reference: (String, f64),
    goal: &'static str,
    /// Whether the goal was met; `None` where there is no goal.
    met: Option<bool>,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.load.requests_per_sec / self.reference.1
    }
}

/// A figure that is not a load: sizes, memory, time.
struct Measure {
    what: String,
    value: String,
    goal: &'static str,
    met: Option<bool>,
}

pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    setup::bench_tools()?;
    let toolchain = setup::all(ws, true)?;
    crate::spa::build(ws, &toolchain)?;
    step("Building the release server and the reference handler", "about 4 minutes the first time", || {
        process::run(
            process::cargo(ws)
                .args(["build", "--release", "-p", "keydesk", "--bin", "keydesk"])
                .args(["--example", "ceiling"]),
        )
    })?;
    let scratch = TempDir::new("scratch");
    std::fs::create_dir_all(&scratch.0)?;
    let release = ws.target.join("release");

    let ceiling = Server::start(Command::new(release.join("examples/ceiling")), None)?;
    let reference = median_of_runs(|| Wrk::get(&format!("{}/api/v1/me", ceiling.url)), &scratch)?;
    drop(ceiling);
    let reference = ("plain actix-web JSON handler".to_string(), reference.requests_per_sec);
    let params = hashing::server_params(ws)?;
    let per_hash = hashing::seconds_per_hash(&params)?;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) as f64;
    let sign_in_ceiling = (
        format!(
            "{cores} cores / {:.1} ms per argon2id hash (m={} KiB, t={})",
            per_hash * 1000.0,
            params.m_cost_kib,
            params.t_cost
        ),
        cores / per_hash,
    );

    let mut rows = Vec::new();
    let mut measures = Vec::new();

    let data = TempDir::new("sqlite");
    let server = Server::start(keydesk(ws, &data, None), Some(data))?;
    let key = server::developer_key(&server.url)?;
    measures.push(memory("server memory, idle (SQLite, after sign-up)", &server, "< 60 MB", 60.0));
    let key_figure = developer_key_get(&server, &key, "SQLite", &reference, &scratch, &mut rows)?;
    access_token_get(&server, &key, "SQLite", key_figure, &scratch, &mut rows)?;
    session_get(&server, "SQLite", &reference, &scratch, &mut rows)?;
    sign_in(&server, &key, &sign_in_ceiling, &scratch, &mut rows)?;
    api_auth(&server, &key, &reference, &scratch, &mut rows)?;
    writes(&server, &key, "SQLite", &reference, &scratch, &mut rows)?;
    measures.push(memory("server memory, at the end of the load (SQLite)", &server, "< 150 MB", 150.0));
    dashboard(ws, &server, &mut measures)?;
    drop(server);

    let pg_url = std::env::var("KEYDESK_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
    match PgDatabase::create(&pg_url) {
        Ok(database) => {
            let data = TempDir::new("postgres");
            let server = Server::start(keydesk(ws, &data, Some(&database.url)), Some(data))?;
            let key = server::developer_key(&server.url)?;
            let key_figure = developer_key_get(&server, &key, "PostgreSQL", &reference, &scratch, &mut rows)?;
            access_token_get(&server, &key, "PostgreSQL", key_figure, &scratch, &mut rows)?;
            session_get(&server, "PostgreSQL", &reference, &scratch, &mut rows)?;
            writes(&server, &key, "PostgreSQL", &reference, &scratch, &mut rows)?;
        }
        Err(why) => println!("    PostgreSQL scenarios skipped: {why}"),
    }

    let tables = format!("{}\n{}", render_rows(&rows), render_measures(&measures));
    println!("\n{tables}");
    let doc = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench` (wrk on loopback, {SECONDS} s per scenario, {CONNECTIONS} \
         connections unless named; the plain handler and developer-key GETs: the median of three runs).\nEvery ratio compares figures taken in the same run, on this machine: {}\n\n{tables}",
        describe_machine()
    );
    let doc = format!("{doc}\n{WHERE_THE_TIME_WENT}");
    std::fs::write(ws.root.join("BENCHMARKS.md"), doc).context("Failed to write BENCHMARKS.md")?;
    println!("Written to BENCHMARKS.md");
    Ok(())
}

/// The release server on a fresh data folder; PostgreSQL when a URL is given.
fn keydesk(ws: &Workspace, data: &TempDir, database_url: Option<&str>) -> Command {
    let mut command = Command::new(ws.target.join("release/keydesk"));
    command.arg("serve").env("KEYDESK_DATA_DIR", &data.0).env("KEYDESK_SPA_DIR", ws.dist()).env("RUST_LOG", "error");
    // The sign-in scenario creates its users by signing up, all from loopback.
    command.env("KEYDESK_SIGNUPS_PER_HOUR", "1000000");
    match database_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    command
}

/// The developer-key GET's row; its throughput is returned for the access-token row beside it.
fn developer_key_get(
    server: &Server,
    key: &str,
    database: &str,
    reference: &(String, f64),
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<f64> {
    let load = median_of_runs(|| me_with_key(server, key), scratch)?;
    let figure = load.requests_per_sec;
    let ratio = load.requests_per_sec / reference.1;
    // On PostgreSQL the same reads are remembered, forgotten on the database's change notices (issue 18).
    let (goal, met) = match database {
        "SQLite" => ("≥ 60%, p99 < 5 ms", Some(ratio >= 0.6 && load.p99_ms < 5.0)),
        _ => ("≥ 50%, p99 < 10 ms", Some(ratio >= 0.5 && load.p99_ms < 10.0)),
    };
    rows.push(Row {
        scenario: format!("developer-key GET /api/v1/me ({database})"),
        load,
        reference: reference.clone(),
        goal,
        met,
    });
    Ok(figure)
}

/// The same GET with a personal access token scoped `profile:read`: the scope check and the
/// network and expiry checks must cost little next to the developer key (issue 17: within 10%).
fn access_token_get(
    server: &Server,
    key: &str,
    database: &str,
    key_figure: f64,
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let token = server::access_token(&server.url, key)?;
    let load = median_of_runs(|| me_with_key(server, &token), scratch)?;
    let met = load.requests_per_sec >= 0.9 * key_figure;
    rows.push(Row {
        scenario: format!("scoped access-token GET /api/v1/me ({database})"),
        load,
        reference: (format!("the developer-key GET ({database})"), key_figure),
        goal: "≥ 90%",
        met: Some(met),
    });
    Ok(())
}

/// The same GET as a browser sends it, with the session cookie.
fn session_get(
    server: &Server,
    database: &str,
    reference: &(String, f64),
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let cookie = server::session_cookie(&server.url, "bench-browser@example.com")?;
    let load = median_of_runs(|| Wrk::get(&format!("{}/api/v1/me", server.url)).header("Cookie", &cookie), scratch)?;
    let (goal, met) = match database {
        "PostgreSQL" => ("≥ 40%", Some(load.requests_per_sec / reference.1 >= 0.4)),
        _ => ("", None),
    };
    rows.push(Row {
        scenario: format!("session-cookie GET /api/v1/me ({database})"),
        load,
        reference: reference.clone(),
        goal,
        met,
    });
    Ok(())
}

/// The run with the median throughput of three: on 2 shared cores one run's figure swings by
/// a fifth, and the developer-key goal is a ratio of two such figures.
fn median_of_runs(scenario: impl Fn() -> Wrk, scratch: &TempDir) -> anyhow::Result<Load> {
    let mut runs = (0..3).map(|_| scenario().run(&scratch.0)).collect::<anyhow::Result<Vec<_>>>()?;
    runs.sort_by(|a, b| a.requests_per_sec.total_cmp(&b.requests_per_sec));
    Ok(runs.swap_remove(1))
}

fn me_with_key(server: &Server, key: &str) -> Wrk {
    Wrk::get(&format!("{}/api/v1/me", server.url)).header("Authorization", &format!("Bearer {key}"))
}

/// Sign-ins at full speed with developer-key GETs beside them.
fn sign_in(
    server: &Server,
    key: &str,
    ceiling: &(String, f64),
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    // Users of their own, taken in turn: one user's simultaneous attempts all count against
    // their email's limit while they are checked, so a single user would be throttled.
    let jar = TempDir::new("sign-in-jar");
    for i in 0..SIGN_IN_USERS {
        server::sign_up(&server.url, &format!("user-{i}@example.com"), &jar.0.to_string_lossy())?;
    }
    let requests = format!(
        r#"
local n = 0
function request()
  n = n + 1
  local body = string.format('{{"email":"user-%d@example.com","password":"{PASSWORD}"}}', n % {SIGN_IN_USERS})
  return wrk.format("POST", "/api/v1/session", {{["Content-Type"] = "application/json"}}, body)
end
"#
    );
    // A steady trickle of GETs (4 connections, one request each per 10 ms) whose latency shows
    // whether the hashing leaves the async workers their turns.
    let beside = me_with_key(server, key).connections(4).paced(10).spawn(&scratch.0)?;
    let sign_ins =
        Wrk::get(&format!("{}/api/v1/session", server.url)).connections(16).request_fn(&requests).run(&scratch.0)?;
    let gets = beside.finish()?;
    let met = sign_ins.requests_per_sec / ceiling.1 >= 0.85;
    rows.push(Row {
        scenario: format!("sign-in, POST /api/v1/session (SQLite, 16 connections, {SIGN_IN_USERS} users)"),
        load: sign_ins,
        reference: ceiling.clone(),
        goal: "≥ 85%",
        met: Some(met),
    });
    let met = gets.p99_ms < 20.0;
    rows.push(Row {
        scenario: "developer-key GET beside those sign-ins (4 connections, 10 ms apart)".into(),
        load: gets,
        reference: ("offered: 4 connections × 100/s".into(), 400.0),
        goal: "p99 < 20 ms",
        met: Some(met),
    });
    Ok(())
}

/// `POST /api/auth` flooded from one address: 15 answers 200, every other 429, cheaply.
fn api_auth(
    server: &Server,
    key: &str,
    reference: &(String, f64),
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let form = format!("tool=dev&login={}&password={key}", EMAIL.replace('@', "%40"));
    let load = Wrk::get(&format!("{}/api/auth", server.url))
        .body("POST", "application/x-www-form-urlencoded", &form)
        .expect(429)
        .run(&scratch.0)?;
    let (successes, limited) = (load.count(200), load.count(429));
    let met = successes == 15 && load.requests_per_sec / reference.1 >= 0.5;
    rows.push(Row {
        scenario: format!("POST /api/auth flood from one address (SQLite): {successes} × 200, {limited} × 429"),
        load,
        reference: reference.clone(),
        goal: "exactly 15 × 200; ≥ 50%",
        met: Some(met),
    });
    Ok(())
}

/// Creating JS libraries (each its own name) and updating one.
fn writes(
    server: &Server,
    key: &str,
    database: &str,
    reference: &(String, f64),
    scratch: &TempDir,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let auth = format!("Bearer {key}");
    // `setup` gives every wrk thread its own number, so created names never collide.
    let create = format!(
        "local threads_made = 0\n\
         function setup(thread) threads_made = threads_made + 1; thread:set(\"prefix\", threads_made) end\n{}",
        library_requests("POST", "/api/v1/js-libraries", "string.format('bench-%d-%d', prefix, n)", &auth)
    );
    let id = server::js_library(&server.url, key)?;
    let path = format!("/api/v1/js-libraries/{id}");
    let update = library_requests("PUT", &path, "'bench-updated'", &auth);
    for (what, script, before) in
        [("create a JS library", create, PG_CREATE_BEFORE), ("update one JS library", update, PG_UPDATE_BEFORE)]
    {
        let load = Wrk::get(&format!("{}/api/v1/js-libraries", server.url)).request_fn(&script).run(&scratch.0)?;
        // PostgreSQL's goal (issue 18) is twice the figure before that work, on this machine class.
        let (reference, goal, met) = match database {
            "PostgreSQL" => {
                let met = load.requests_per_sec >= 2.0 * before && load.p99_ms < 50.0;
                (("before issue 18 (BENCHMARKS.md, 2026-12-01)".to_string(), before), "≥ 200%, p99 < 50 ms", Some(met))
            }
            _ => (reference.clone(), "", None),
        };
        rows.push(Row { scenario: format!("{what} ({database})"), load, reference, goal, met });
    }
    Ok(())
}

/// What profiling found on the PostgreSQL paths (issue 18), kept beside the figures it explains.
const WHERE_THE_TIME_WENT: &str = "\
## Where the time went (PostgreSQL, profiled with `perf record` on the server under this load, 2 cores)

- Reads, before: every developer-key GET read caller, user and account from PostgreSQL (4.6k/s, p99 122 ms).
  After: those reads are remembered per instance and forgotten on `NOTIFY keydesk_changes` (README,
  deployment): the GETs run at the plain handler's pace less JSON and hashing.
- JS library writes, before: three hand-offs to the blocking pool per request (authentication, write,
  security-log insert), a fresh 512 MB-stack thread per parse, the update in five round trips and two
  commits; about 40% of the server's samples were kernel task switches.
- After: the parse on a stack mapped for it (`stacker`, no thread per write); the change and its log
  entry as one statement (a data-modifying CTE: create one round trip and one commit, update two round
  trips); requests queue for a connection first come first served on the async side instead of parking
  one blocking thread each in the pool (create 2.0k/s with p99 75 ms, then 3.2k/s with p99 34 ms). Tried
  and withdrawn: parsing on the blocking thread's own stack when the nesting estimate looked shallow
  (create 3.0k/s against 2.4k/s with the mapped stack: `munmap` 6.5% and page faults 4.7% of samples),
  because chains such as `a()()()…` escape every cheap estimate and overflowed that stack (a test now
  sends them); and running the check inside the request's database turn (one hand-off instead of two),
  because a slow parse then held a turn.
- Pool size, swept: 4, 8, 16 and 32 connections gave create 1.4k, 1.5k, 2.0k/s before the queue, and
  with it 16 beat 8 and 32 (2.6k, 3.2k, 3.2k/s create; 1.7k, 1.9k, 1.3k/s update): 16 stays.
- Then: updating one row from 64 connections serialised on its row lock through each commit's WAL flush
  (about 0.1 ms per fdatasync here, more under load; with `synchronous_commit = off` on a scratch
  database the update ran at 2.4k/s), and each waiting request parked a pooled connection on that lock.
- Now: writes are batched per row in each instance (`backend/src/write_batches.rs`): while changes to a
  library (or additions to an account) are being written, the ones that arrive for it wait in memory,
  holding no connection, and go next together (one statement and one commit for additions, and for
  each run of changes to the same name); each is answered only after its commit, and each still stands
  or falls on its own (a taken name refuses only its own request). Measured
  on 2026-12-02's machine, old and new binaries in the same conditions: create 1.7-2.1k/s (p99 73 ms) to
  4.5k/s (p99 27 ms), update 1.1k/s (p99 93 ms) to 4.4k/s (p99 33 ms). Commits stay synchronous.
";

/// JS library writes per second on PostgreSQL before issue 18 (BENCHMARKS.md of 2026-12-01, 2 cores).
const PG_CREATE_BEFORE: f64 = 1549.1;
const PG_UPDATE_BEFORE: f64 = 1221.2;

/// A Lua `request()` that sends `method path` with a JS library whose name is the Lua
/// expression `name` and whose code differs on every request (`n` counts them).
fn library_requests(method: &str, path: &str, name: &str, auth: &str) -> String {
    format!(
        r#"
local n = 0
function request()
  n = n + 1
  local body = string.format('{{"name":"%s","description":"","code":"function f() {{ return %d; }}"}}', {name}, n)
  return wrk.format("{method}", "{path}", {{["Content-Type"] = "application/json", ["Authorization"] = "{auth}"}}, body)
end
"#
    )
}

/// Resident memory against a goal in MB (10^6 bytes, as the goals are written).
fn memory(what: &str, server: &Server, goal: &'static str, limit_mb: f64) -> Measure {
    let mb = server.resident_bytes().map(|b| b as f64 / 1e6);
    Measure {
        what: what.into(),
        value: mb.map_or_else(|| "unknown".into(), |m| format!("{m:.1} MB")),
        goal,
        met: mb.map(|m| m < limit_mb),
    }
}

fn dashboard(ws: &Workspace, server: &Server, measures: &mut Vec<Measure>) -> anyhow::Result<()> {
    let (wasm, js, all) = spa::weights(ws, &server.url)?;
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1000.0);
    measures.push(Measure {
        what: "dashboard wasm, on disk / gzip as served".into(),
        value: format!("{} / {}", kb(wasm.raw), kb(wasm.gzip)),
        goal: "",
        met: None,
    });
    measures.push(Measure {
        what: "dashboard JavaScript, on disk / gzip as served".into(),
        value: format!("{} / {}", kb(js.raw), kb(js.gzip)),
        goal: "",
        met: None,
    });
    measures.push(Measure {
        what: "whole dashboard (every file in dist/), gzip as served".into(),
        value: kb(all.gzip),
        goal: "< 400 KB",
        met: Some(all.gzip < 400_000),
    });
    let ms = spa::time_to_interactive(ws, &server.url)?;
    measures.push(Measure {
        what: "sign-in page interactive in headless Chromium, cold (median of 5)".into(),
        value: format!("{ms:.0} ms"),
        goal: "",
        met: None,
    });
    Ok(())
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**not met**",
        None => "",
    }
}

fn render_rows(rows: &[Row]) -> String {
    let mut table = String::from(
        "| scenario | per second | p50 ms | p99 ms | reference (per second) | ratio | goal | |\n\
         | --- | ---: | ---: | ---: | --- | ---: | --- | --- |\n",
    );
    for row in rows {
        table.push_str(&format!(
            "| {} | {:.1} | {:.2} | {:.2} | {} ({:.1}) | {:.0}% | {} | {} |\n",
            row.scenario,
            row.load.requests_per_sec,
            row.load.p50_ms,
            row.load.p99_ms,
            row.reference.0,
            row.reference.1,
            100.0 * row.ratio(),
            row.goal,
            verdict(row.met)
        ));
    }
    table
}

fn render_measures(measures: &[Measure]) -> String {
    let mut table = String::from("| measure | value | goal | |\n| --- | ---: | --- | --- |\n");
    for m in measures {
        table.push_str(&format!("| {} | {} | {} | {} |\n", m.what, m.value, m.goal, verdict(m.met)));
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
