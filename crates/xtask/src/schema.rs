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
    let mut diesel = Command::new("diesel");
    diesel.current_dir(&ws.root).env("DATABASE_URL", scratch_url(server_url));
    diesel.args(["database", "reset", "--migration-dir"]).arg(&copy);
    if locked {
        diesel.arg("--locked-schema");
    }
    let result = process::run(&mut diesel);
    std::fs::remove_dir_all(&copy)?;
    result
}

/// `server_url` naming the scratch database instead of its own (any `?options` kept).
fn scratch_url(server_url: &str) -> String {
    let (address, options) = server_url.split_once('?').map_or((server_url, None), |(a, o)| (a, Some(o)));
    let server = address.rsplit_once('/').map_or(address, |(server, _)| server);
    match options {
        Some(options) => format!("{server}/{SCRATCH_DATABASE}?{options}"),
        None => format!("{server}/{SCRATCH_DATABASE}"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scratch_database_replaces_the_named_one_and_options_stay() {
        assert_eq!(
            scratch_url("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/keydesk_schema"
        );
        assert_eq!(
            scratch_url("postgres://u@db/test?sslmode=require"),
            "postgres://u@db/keydesk_schema?sslmode=require"
        );
    }
}
