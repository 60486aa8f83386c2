//! `cargo xtask`: the README's two commands (`run`, `test`), and `setup`, `spa`, `bench`,
//! `screenshots` and `schema` beneath them. Its only dependency is `anyhow`, so it builds in seconds
//! on a fresh machine; the tools it drives (Trunk, wrk, Schemathesis, Chromium, diesel CLI, ...) are
//! installed when missing.

#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod bench;
mod conformance;
mod process;
mod schema;
mod server;
mod setup;
mod spa;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  run     set up what is missing, build the dashboard and the server (release), serve on SQLite
  test    formatting, clippy, unit and API tests on SQLite and PostgreSQL, browser tests
  bench   load the release server with wrk beside a plain actix-web reference; writes BENCHMARKS.md
  setup   only install what is missing (wasm toolchain, Trunk, wasm-bindgen, node packages, Chromium)
  spa     only build the dashboard into dist/ (for working on the frontend)
  screenshots  the README's pictures of the main sections, into docs/screenshots/
  schema  write backend/src/db/schema.rs from the PostgreSQL migrations (diesel print-schema)

Under CI=true a missing PostgreSQL or Chromium fails `test` instead of being skipped.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&Workspace::locate()),
        Some("test") => test::run(&Workspace::locate()),
        Some("bench") => bench::run(&Workspace::locate()),
        Some("screenshots") => test::screenshots(&Workspace::locate()),
        Some("schema") => schema::write(&Workspace::locate(), &test::pg_url()),
        Some("setup") => setup::all(&Workspace::locate(), true).map(|_| ()),
        Some("spa") => {
            let ws = Workspace::locate();
            setup::all(&ws, false).and_then(|toolchain| spa::build(&ws, &toolchain))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Paths of the checkout and its build output.
pub struct Workspace {
    pub root: PathBuf,
    /// `CARGO_TARGET_DIR` if set (CI points it at a cache that outlives the clone), else `target/`.
    pub target: PathBuf,
}

impl Workspace {
    fn locate() -> Workspace {
        // `cargo run` names the manifest at run time. The path compiled in is only a fallback:
        // checkouts sharing a target folder (CI's cache) can run a binary built from another.
        let manifest_dir =
            std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from);
        let root = manifest_dir.join("../..");
        let root = root.canonicalize().unwrap_or(root);
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        Workspace { root, target }
    }

    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    pub fn e2e(&self) -> PathBuf {
        self.root.join("e2e")
    }
}

/// `cargo xtask run`
fn run(ws: &Workspace) -> anyhow::Result<()> {
    let toolchain = setup::all(ws, false)?;
    spa::build(ws, &toolchain)?;
    process::step("Building the server (release)", "about 4 minutes the first time", || {
        process::run(process::cargo(ws).args(["build", "--release", "-p", "keydesk"]))
    })?;
    let binary = ws.target.join("release/keydesk");
    println!("\nStarting Keydesk. Data (SQLite database, secret key, mail outbox) lives in ./data.");
    println!("Stop it with Ctrl+C.\n");
    let mut command = std::process::Command::new(binary);
    command.current_dir(&ws.root).env("KEYDESK_SPA_DIR", ws.dist()).arg("serve");
    process::run(&mut command)
}
