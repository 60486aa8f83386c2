//! The dashboard's weight (raw and gzip, as served) and its time to interactive.

use crate::process::output;
use crate::setup::CHROMIUM;
use crate::Workspace;
use anyhow::{bail, Context};
use std::io::Write;
use std::process::{Command, Stdio};

/// Bytes of one kind of file in dist/.
#[derive(Debug, Default, PartialEq)]
pub struct Weight {
    pub raw: u64,
    pub gzip: u64,
}

/// (wasm, JavaScript, everything) in the built dashboard.
pub fn weights(ws: &Workspace) -> anyhow::Result<(Weight, Weight, Weight)> {
    let (mut wasm, mut js, mut all) = (Weight::default(), Weight::default(), Weight::default());
    for entry in std::fs::read_dir(ws.dist()).context("dist/ is missing; the dashboard was not built")? {
        let path = entry?.path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let weight = Weight { raw: bytes.len() as u64, gzip: gzip_len(&bytes)? };
        let sum = |total: &mut Weight| {
            total.raw += weight.raw;
            total.gzip += weight.gzip;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => sum(&mut wasm),
            Some("js") => sum(&mut js),
            _ => {}
        }
        sum(&mut all);
    }
    Ok((wasm, js, all))
}

/// Size after `gzip -6`, the level the server's compression uses by default.
fn gzip_len(bytes: &[u8]) -> anyhow::Result<u64> {
    let mut child =
        Command::new("gzip").arg("-6c").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().context("gzip")?;
    let mut stdin = child.stdin.take().context("gzip has no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output()?;
    writer.join().map_err(|_| anyhow::anyhow!("gzip writer panicked"))??;
    Ok(out.stdout.len() as u64)
}

/// Median milliseconds from navigation to an interactive sign-in form, over five cold loads.
pub fn time_to_interactive(ws: &Workspace, url: &str) -> anyhow::Result<f64> {
    let text = output(
        Command::new("node")
            .arg("bench/interactive.js")
            .args([url, "5"])
            .current_dir(ws.e2e())
            .env("CHROMIUM", CHROMIUM),
    )
    .context("timing the sign-in page in Chromium failed")?;
    let mut times: Vec<f64> =
        text.lines().filter_map(|l| l.strip_prefix("interactive ")?.trim().parse().ok()).collect();
    if times.is_empty() {
        bail!("Chromium reported no times:\n{text}");
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}
