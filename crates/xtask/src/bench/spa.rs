//! The dashboard's weight (on disk, and gzip as the server sends it) and its time to interactive.

use crate::process::output;
use crate::setup::CHROMIUM;
use crate::Workspace;
use anyhow::{bail, Context};
use std::process::Command;

/// Bytes of one kind of file in dist/: on disk, and as the server sends it to a client that
/// takes gzip.
#[derive(Debug, Default, PartialEq)]
pub struct Weight {
    pub raw: u64,
    pub gzip: u64,
}

/// (wasm, JavaScript, everything) in the built dashboard, fetched from the server at `url`.
pub fn weights(ws: &Workspace, url: &str) -> anyhow::Result<(Weight, Weight, Weight)> {
    let (mut wasm, mut js, mut all) = (Weight::default(), Weight::default(), Weight::default());
    for entry in std::fs::read_dir(ws.dist()).context("dist/ is missing; the dashboard was not built")? {
        let path = entry?.path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_string();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).filter(|_| path.is_file() && extension != "gz")
        else {
            continue;
        };
        let weight = Weight { raw: std::fs::metadata(&path)?.len(), gzip: served_bytes(&format!("{url}/{name}"))? };
        let sum = |total: &mut Weight| {
            total.raw += weight.raw;
            total.gzip += weight.gzip;
        };
        match extension.as_str() {
            "wasm" => sum(&mut wasm),
            "js" => sum(&mut js),
            _ => {}
        }
        sum(&mut all);
    }
    Ok((wasm, js, all))
}

/// Bytes on the wire for `url` when the client takes gzip (curl does not decompress here).
fn served_bytes(url: &str) -> anyhow::Result<u64> {
    let size = output(Command::new("curl").args(["-sf", "-o", "/dev/null", "-H", "Accept-Encoding: gzip"]).args([
        "-w",
        "%{size_download}",
        url,
    ]))
    .with_context(|| format!("could not fetch {url}"))?;
    size.trim().parse().with_context(|| format!("curl reported {size:?} bytes for {url}"))
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
