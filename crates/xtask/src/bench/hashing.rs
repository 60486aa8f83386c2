//! The sign-in ceiling: how long one argon2id hash takes with the server's parameters,
//! timed with Debian's reference `argon2` command in the same run.

use crate::Workspace;
use anyhow::{bail, Context};
use std::io::Write;
use std::process::{Command, Stdio};

/// The server's argon2id parameters, read from the one place that sets them.
#[derive(Debug, PartialEq)]
pub struct Params {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

pub fn server_params(ws: &Workspace) -> anyhow::Result<Params> {
    let path = ws.root.join("backend/src/auth/password.rs");
    let source = std::fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    parse_params(&source).context("backend/src/auth/password.rs no longer sets M_COST_KIB, T_COST and P_COST")
}

fn parse_params(source: &str) -> Option<Params> {
    let value = |name: &str| -> Option<u32> {
        let line = source.lines().find(|l| l.trim_start().starts_with(&format!("const {name}: u32 =")))?;
        line.split_once('=')?.1.trim().trim_end_matches(';').replace('_', "").parse().ok()
    };
    Some(Params { m_cost_kib: value("M_COST_KIB")?, t_cost: value("T_COST")?, p_cost: value("P_COST")? })
}

/// Seconds for one hash: the median of seven runs of `argon2`.
pub fn seconds_per_hash(params: &Params) -> anyhow::Result<f64> {
    let mut times = (0..7).map(|_| one_hash(params)).collect::<anyhow::Result<Vec<f64>>>()?;
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn one_hash(params: &Params) -> anyhow::Result<f64> {
    let mut child = Command::new("argon2")
        .args(["somesaltsomesalt", "-id", "-l", "32"])
        .args(["-t", &params.t_cost.to_string(), "-k", &params.m_cost_kib.to_string()])
        .args(["-p", &params.p_cost.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start argon2")?;
    child.stdin.take().context("argon2 has no stdin")?.write_all(b"Sup3r-secret!")?;
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("argon2 failed: {text}");
    }
    parse_seconds(&text).with_context(|| format!("argon2 printed no time:\n{text}"))
}

/// argon2 prints `0.045 seconds` on a line of its own.
fn parse_seconds(text: &str) -> Option<f64> {
    text.lines().find_map(|l| l.trim().strip_suffix(" seconds")?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_read_from_the_server_source() {
        let source = "/// OWASP\nconst M_COST_KIB: u32 = 19_456;\nconst T_COST: u32 = 2;\nconst P_COST: u32 = 1;\n";
        assert_eq!(parse_params(source), Some(Params { m_cost_kib: 19456, t_cost: 2, p_cost: 1 }));
        assert_eq!(parse_params("const T_COST: u32 = 2;"), None);
    }

    #[test]
    fn the_servers_own_params_parse() {
        let ws = Workspace::locate();
        assert!(server_params(&ws).is_ok_and(|p| p.m_cost_kib >= 1024 && p.t_cost >= 1));
    }

    #[test]
    fn argon2_timing_is_read() {
        let text = "Type:\t\tArgon2id\nIterations:\t2\nHash:\t\tab\nEncoded:\t$argon2id$v=19$m=19456\n0.045 seconds\nVerification ok\n";
        assert_eq!(parse_seconds(text), Some(0.045));
    }
}
