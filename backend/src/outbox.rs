//! The outbox folder: where mail and SMS go when no server is configured,
//! so a laptop run works without either. Each message is one file.

use anyhow::Context;
use std::path::{Path, PathBuf};

/// Writes one message and logs where, so the person running Keydesk can open it.
pub fn write(dir: &Path, extension: &str, contents: &[u8]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("Failed to create the outbox {}", dir.display()))?;
    let name =
        format!("{}-{}.{extension}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"), uuid::Uuid::new_v4().simple());
    let path = dir.join(name);
    std::fs::write(&path, contents).with_context(|| format!("Failed to write {}", path.display()))?;
    tracing::info!(path = %path.display(), "message written to the outbox (no server configured)");
    Ok(path)
}
