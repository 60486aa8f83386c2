//! `cargo xtask test`: every check, in order, then one summary line.

use crate::process::{self, in_ci, step};
use crate::schema;
use crate::setup::{self, CHROMIUM};
use crate::{conformance, spa, Workspace};
use std::io::{BufRead, BufReader};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::Duration;

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379/";

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_stages: Vec<String>,
    skipped: Vec<String>,
}

impl Tally {
    /// A stage with no test counts (fmt, clippy): a failure counts as one failed check.
    fn check(&mut self, name: &str, result: anyhow::Result<()>) {
        if let Err(e) = result {
            eprintln!("    {name}: {e:#}");
            self.failed += 1;
            self.failed_stages.push(name.to_string());
        }
    }

    fn tests(&mut self, name: &str, result: anyhow::Result<Counts>) {
        match result {
            Ok(counts) => {
                self.passed += counts.passed;
                self.failed += counts.failed;
                if !counts.success || counts.failed > 0 {
                    if counts.failed == 0 {
                        self.failed += 1;
                    }
                    self.failed_stages.push(name.to_string());
                }
            }
            Err(e) => self.check(name, Err(e)),
        }
    }

    /// Outside CI a missing service is skipped with a reason; in CI it fails the run.
    fn unavailable(&mut self, name: &str, why: String) {
        if in_ci() {
            self.check(name, Err(anyhow::anyhow!("{why} (required under CI=true)")));
        } else {
            self.skipped.push(format!("{name}: {why}"));
        }
    }
}

/// The PostgreSQL server the tests use (`KEYDESK_TEST_PG_URL`, else the local one).
pub fn pg_url() -> String {
    std::env::var("KEYDESK_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into())
}

pub fn run(ws: &Workspace) -> anyhow::Result<()> {
    let mut tally = Tally::default();
    let cargo = || process::cargo(ws);

    tally.check(
        "formatting",
        step("Formatting (cargo fmt --check)", "seconds", || {
            process::run(cargo().args(["fmt", "--all", "--", "--check"]))
        }),
    );
    tally.check(
        "clippy",
        step("Clippy, warnings denied", "a few minutes the first time", || {
            process::run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]))
        }),
    );
    tally.tests(
        "tests on SQLite",
        step("Unit and API tests on SQLite", "a few minutes the first time", || {
            counted(cargo().args(["test", "--workspace"]), Runner::Cargo)
        }),
    );

    let pg_url = pg_url();
    match reachable(&pg_url) {
        true => {
            tally.check(
                "schema.rs from the migrations",
                step(
                    "schema.rs is what diesel print-schema makes of the migrations",
                    "seconds; 3 minutes once to install diesel CLI",
                    || schema::check(ws, &pg_url),
                ),
            );
            tally.tests(
                "API tests on PostgreSQL",
                step("API tests on PostgreSQL", "about a minute", || {
                    counted(
                        cargo()
                            .args(["test", "-p", "keydesk", "--test", "api"])
                            .env("KEYDESK_TEST_DATABASE", "postgres"),
                        Runner::Cargo,
                    )
                }),
            )
        }
        false => {
            tally.unavailable("API tests on PostgreSQL", format!("no PostgreSQL answers at {}", host_port(&pg_url)))
        }
    }

    let redis_url = std::env::var("KEYDESK_TEST_REDIS_URL").unwrap_or_else(|_| DEFAULT_REDIS_URL.into());
    match reachable(&redis_url) {
        true => tally.tests(
            "shared limits in Redis",
            step("Shared-limit tests on Redis", "under a minute", || {
                counted(
                    cargo()
                        .args(["test", "-p", "keydesk", "--features", "redis-tests", "--test", "redis"])
                        .env("KEYDESK_TEST_REDIS_URL", &redis_url),
                    Runner::Cargo,
                )
            }),
        ),
        false => tally.unavailable("shared limits in Redis", format!("no Redis answers at {}", host_port(&redis_url))),
    }

    match setup::schemathesis() {
        Ok(st) => tally.tests(
            "Schemathesis",
            step("Schemathesis against the OpenAPI document", "about a minute", || {
                process::run(process::cargo(ws).args(["build", "-p", "keydesk"]))?;
                let (passed, failed) = conformance::run(ws, &st)?;
                Ok(Counts { passed, failed, success: failed == 0 })
            }),
        ),
        Err(e) => tally.unavailable("Schemathesis", format!("it could not be installed: {e:#}")),
    }

    match setup::chromium() {
        Ok(()) => tally.tests("browser tests", browser_tests(ws)),
        Err(e) => tally.unavailable("browser tests", format!("{CHROMIUM} is missing: {e:#}")),
    }

    println!();
    for skipped in &tally.skipped {
        println!("SKIPPED {skipped}");
    }
    if !tally.failed_stages.is_empty() {
        println!("FAILED: {}", tally.failed_stages.join(", "));
    }
    println!("xtask: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        anyhow::bail!("some checks failed");
    }
    Ok(())
}

fn browser_tests(ws: &Workspace) -> anyhow::Result<Counts> {
    let toolchain = setup::all(ws, true)?;
    spa::build(ws, &toolchain)?;
    step("Building the server for the browser tests", "seconds after the API tests", || {
        process::run(process::cargo(ws).args(["build", "-p", "keydesk"]))
    })?;
    step("Browser tests in Chromium", "about a minute", || {
        counted(
            Command::new("npm")
                .args(["test", "--silent"])
                .current_dir(ws.e2e())
                .env("KEYDESK_BIN", ws.target.join("debug/keydesk"))
                .env("KEYDESK_SPA_DIR", ws.dist())
                .env("CHROMIUM", CHROMIUM),
            Runner::Node,
        )
    })
}

/// `cargo xtask screenshots`: the README's pictures of the main sections, from the real server and SPA.
pub fn screenshots(ws: &Workspace) -> anyhow::Result<()> {
    let toolchain = setup::all(ws, true)?;
    spa::build(ws, &toolchain)?;
    process::run(process::cargo(ws).args(["build", "-p", "keydesk"]))?;
    process::run(
        Command::new("node")
            .arg("screenshots.js")
            .current_dir(ws.e2e())
            .env("KEYDESK_BIN", ws.target.join("debug/keydesk"))
            .env("KEYDESK_SPA_DIR", ws.dist())
            .env("CHROMIUM", CHROMIUM),
    )
}

struct Counts {
    passed: u64,
    failed: u64,
    success: bool,
}

enum Runner {
    Cargo,
    Node,
}

/// Runs a test command, echoing its output and adding up its pass and fail counts.
fn counted(command: &mut Command, runner: Runner) -> anyhow::Result<Counts> {
    let mut child = command.stdout(Stdio::piped()).spawn()?;
    let mut counts = Counts { passed: 0, failed: 0, success: false };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            let (passed, failed) = match runner {
                Runner::Cargo => cargo_counts(&line),
                Runner::Node => node_counts(&line),
            };
            counts.passed += passed;
            counts.failed += failed;
        }
    }
    counts.success = child.wait()?.success();
    Ok(counts)
}

/// `test result: ok. 40 passed; 0 failed; ...`
fn cargo_counts(line: &str) -> (u64, u64) {
    let Some(rest) = line.trim().strip_prefix("test result:") else { return (0, 0) };
    let number_before = |word: &str| {
        rest.split(';')
            .find_map(|part| {
                part.trim().trim_start_matches("ok.").trim_start_matches("FAILED.").trim().strip_suffix(word)
            })
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    (number_before(" passed"), number_before(" failed"))
}

/// node's TAP reporter: `# pass 5`, `# fail 0`.
fn node_counts(line: &str) -> (u64, u64) {
    let number = |prefix: &str| line.trim().strip_prefix(prefix).and_then(|n| n.trim().parse().ok()).unwrap_or(0);
    (number("# pass "), number("# fail "))
}

fn host_port(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let after_user = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, rest)| rest);
    let host_port = after_user.split(['/', '?']).next().unwrap_or("127.0.0.1");
    let default_port = if url.starts_with("redis") { 6379 } else { 5432 };
    if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:{default_port}")
    }
}

fn reachable(url: &str) -> bool {
    host_port(url)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_summary_lines_are_counted() {
        assert_eq!(cargo_counts("test result: ok. 40 passed; 0 failed; 0 ignored; 0 measured"), (40, 0));
        assert_eq!(cargo_counts("test result: FAILED. 3 passed; 2 failed; 0 ignored"), (3, 2));
        assert_eq!(cargo_counts("running 3 tests"), (0, 0));
    }

    #[test]
    fn node_tap_totals_are_counted() {
        assert_eq!(node_counts("# pass 5"), (5, 0));
        assert_eq!(node_counts("# fail 2"), (0, 2));
        assert_eq!(node_counts("ok 1 - signs up"), (0, 0));
    }

    #[test]
    fn database_urls_give_their_host_and_port() {
        assert_eq!(host_port("postgres://postgres@127.0.0.1:5432/postgres"), "127.0.0.1:5432");
        assert_eq!(host_port("postgres://db.example/keydesk"), "db.example:5432");
        assert_eq!(host_port("postgres://u:p@h:6000/x?sslmode=disable"), "h:6000");
        assert_eq!(host_port("redis://127.0.0.1/"), "127.0.0.1:6379");
    }
}
