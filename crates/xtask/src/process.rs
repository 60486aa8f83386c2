//! Running commands, showing progress for the long ones.

use crate::Workspace;
use anyhow::{bail, Context};
use std::process::Command;
use std::time::Instant;

/// Runs `work` under a heading that says how long it usually takes, then how long it took.
pub fn step<T>(what: &str, usually: &str, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    println!("==> {what} ({usually})");
    let started = Instant::now();
    let result = work();
    let took = started.elapsed().as_secs();
    match &result {
        Ok(_) => println!("    done in {}m{:02}s", took / 60, took % 60),
        Err(_) => println!("    failed after {}m{:02}s", took / 60, took % 60),
    }
    result
}

/// Runs the command with inherited output; an unsuccessful exit is an error.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("could not start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

/// The command's standard output, or `None` when it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `cargo` in the workspace: the toolchain that runs xtask.
pub fn cargo(ws: &Workspace) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(&ws.root).env("CARGO_TARGET_DIR", &ws.target);
    command
}

pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}
