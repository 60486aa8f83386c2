//! Schemathesis against the running server: generated requests for every documented
//! operation, authenticated with a developer key. No answer may be a 5xx, and every
//! answer must match the schema documented for its status.

use crate::server::{self, Server, TempDir};
use crate::Workspace;
use anyhow::Context;
use std::process::Command;

/// Generated cases per operation and phase: about 2,000 requests, under a minute.
const EXAMPLES: &str = "10";
/// A fixed seed keeps a CI run reproducible; `KEYDESK_SCHEMATHESIS_SEED` explores others.
const DEFAULT_SEED: &str = "1";
/// Operations that would end the run's own credentials (sign-out, a new developer key).
const EXCLUDED_PATHS: [&str; 2] = ["/api/v1/session", "/api/v1/me/developer-key"];

/// Per-operation results: (passed, failed).
pub fn run(ws: &Workspace, st: &std::path::Path) -> anyhow::Result<(u64, u64)> {
    let data = TempDir::new("conformance");
    let mut command = Command::new(ws.target.join("debug/keydesk"));
    command.arg("serve").env("KEYDESK_DATA_DIR", &data.0).env("RUST_LOG", "error").env_remove("DATABASE_URL");
    let report = data.0.join("junit.xml");
    let server = Server::start(command, Some(data))?;
    let key = server::developer_key(&server.url)?;
    let seed = std::env::var("KEYDESK_SCHEMATHESIS_SEED").unwrap_or_else(|_| DEFAULT_SEED.into());
    let mut st = Command::new(st);
    st.arg("run")
        .arg(format!("{}/api/openapi.json", server.url))
        .args(["--header", &format!("Authorization: Bearer {key}")])
        .args(["--checks", "not_a_server_error,response_schema_conformance"])
        .args(["--max-examples", EXAMPLES, "--phases", "examples,coverage,fuzzing", "--seed", &seed])
        .args(["--no-color", "--report", "junit", "--report-junit-path"])
        .arg(&report);
    for path in EXCLUDED_PATHS {
        st.args(["--exclude-path", path]);
    }
    // A non-zero exit is a failure found; the report says how many.
    let status = st.status().context("could not run Schemathesis")?;
    let xml = std::fs::read_to_string(&report).context("Schemathesis wrote no report")?;
    let (tests, failed) = totals(&xml).context("could not read Schemathesis's report")?;
    if failed == 0 && !status.success() {
        anyhow::bail!("Schemathesis failed ({status}) without reporting a failed operation");
    }
    Ok((tests.saturating_sub(failed), failed))
}

/// `tests`, and `failures` + `errors`, from the `<testsuites ...>` element.
fn totals(xml: &str) -> Option<(u64, u64)> {
    let element = &xml[xml.find("<testsuites")?..];
    let element = &element[..element.find('>')?];
    let attribute = |name: &str| -> Option<u64> {
        let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
        element[start..].split('"').next()?.parse().ok()
    };
    Some((attribute("tests")?, attribute("failures")? + attribute("errors")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_totals_are_read() {
        let xml = r#"<?xml version="1.0"?><testsuites errors="1" failures="2" skipped="0" tests="55" time="24.4">"#;
        assert_eq!(totals(xml), Some((55, 3)));
        assert_eq!(totals("<testsuite tests=\"3\">"), None);
    }
}
