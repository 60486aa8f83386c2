//! `backend/src/db/schema.rs` is generated: diesel CLI's `print-schema` of a scratch PostgreSQL
//! database migrated from `migrations/postgres` (settings in `diesel.toml`). `check` fails when the
//! file and the migrations disagree; `write` makes the file again.

use crate::process;
use crate::setup;
use crate::Workspace;
use std::path::Path;
use std::process::Command;

/// Dropped and made again on every run, so an earlier run leaves nothing behind that matters.
const SCRATCH_DATABASE: &str = "keydesk_schema";

/// `diesel database reset` on the scratch database: it migrates it, then writes the schema file
/// from it, unless `--locked-schema`, which fails where the file would change. It runs on a copy
/// of the migrations, where diesel adds its own setup migration.
fn reset(ws: &Workspace, server_url: &str, locked: bool) -> anyhow::Result<()> {
    setup::diesel_cli()?;
    let copy = std::env::temp_dir().join(format!("keydesk-schema-{}", std::process::id()));
    copy_dir(&ws.root.join("migrations/postgres"), &copy)?;
    let server = server_url.rsplit_once('/').map_or(server_url, |(server, _)| server);
    let mut diesel = Command::new("diesel");
    diesel.current_dir(&ws.root).env("DATABASE_URL", format!("{server}/{SCRATCH_DATABASE}"));
    diesel.args(["database", "reset", "--migration-dir"]).arg(&copy);
    if locked {
        diesel.arg("--locked-schema");
    }
    let result = process::run(&mut diesel);
    std::fs::remove_dir_all(&copy)?;
    result
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        match entry.file_type()?.is_dir() {
            true => copy_dir(&entry.path(), &to.join(entry.file_name()))?,
            false => std::fs::copy(entry.path(), to.join(entry.file_name())).map(|_| ())?,
        }
    }
    Ok(())
}

pub fn check(ws: &Workspace, server_url: &str) -> anyhow::Result<()> {
    reset(ws, server_url, true)
        .map_err(|e| e.context("backend/src/db/schema.rs is not what the migrations make: run `cargo xtask schema`"))
}

pub fn write(ws: &Workspace, server_url: &str) -> anyhow::Result<()> {
    reset(ws, server_url, false)
}
