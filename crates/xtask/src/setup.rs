//! Installs what the build and the tests need, when it is missing:
//! the wasm toolchain, Trunk, wasm-bindgen, the e2e node packages, Chromium.

use crate::process::{self, output, step};
use crate::Workspace;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// How the SPA is compiled to wasm32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup's toolchain with its prebuilt wasm32 standard library.
    Rustup,
    /// Debian's rustc-web, building the standard library from source (see README).
    DebianBuildStd,
}

const TRUNK_SERIES: &str = "0.21";
/// The series of the diesel crate in Cargo.lock.
const DIESEL_CLI_SERIES: &str = "2.3";
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_STD_SOURCE: &str = "/usr/lib/rustlib/src/rust/library/std";

/// Everything `run` needs; `with_browser` adds Chromium for the browser tests.
pub fn all(ws: &Workspace, with_browser: bool) -> anyhow::Result<Toolchain> {
    node_packages(ws)?;
    zopfli();
    let toolchain = wasm_toolchain()?;
    trunk()?;
    wasm_bindgen(ws)?;
    if with_browser {
        chromium()?;
    }
    Ok(toolchain)
}

fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("keydesk-xtask")
}

/// rustup's wasm32 standard library, and the standard library's source to build it size-optimised.
fn rustup_has_wasm() -> bool {
    let has = |what: &[&str], name: &str| {
        output(Command::new("rustup").args(what)).is_some_and(|list| list.lines().any(|l| l.trim().starts_with(name)))
    };
    has(&["target", "list", "--installed"], "wasm32-unknown-unknown")
        && has(&["component", "list", "--installed"], "rust-src")
}

fn debian_toolchain_ready() -> bool {
    Path::new(DEBIAN_RUSTC).exists() && Path::new("/usr/bin/cargo").exists() && Path::new(DEBIAN_STD_SOURCE).exists()
}

/// rustup's wasm32 target when it can be had, else Debian's rustc-web with build-std.
fn wasm_toolchain() -> anyhow::Result<Toolchain> {
    if rustup_has_wasm() {
        return Ok(Toolchain::Rustup);
    }
    // Where rustup cannot download (it hangs), remember that, so later runs go straight to the fallback.
    let unavailable = cache_dir().join("rustup-wasm32-unavailable");
    if !unavailable.exists() && output(Command::new("rustup").arg("--version")).is_some() {
        let added = step("Adding the wasm32 target and rust-src with rustup", "gives up after 2 minutes each", || {
            process::run(Command::new("timeout").args(["120", "rustup", "target", "add", "wasm32-unknown-unknown"]))?;
            process::run(Command::new("timeout").args(["120", "rustup", "component", "add", "rust-src"]))
        });
        if added.is_ok() && rustup_has_wasm() {
            return Ok(Toolchain::Rustup);
        }
        println!("    rustup could not add wasm32 or rust-src; using Debian's rustc-web instead");
        std::fs::create_dir_all(cache_dir())?;
        std::fs::write(&unavailable, "rustup target add wasm32-unknown-unknown failed here\n")?;
    }
    if !debian_toolchain_ready() {
        step("Installing Debian's rustc-web toolchain", "about 2 minutes", || {
            apt_install(&["rustc-web", "cargo-web", "rust-web-src", "lld-22"])
        })?;
    }
    Ok(Toolchain::DebianBuildStd)
}

fn trunk() -> anyhow::Result<()> {
    let installed = output(Command::new("trunk").arg("--version"))
        .is_some_and(|v| v.split_whitespace().nth(1).is_some_and(|ver| ver.starts_with(&format!("{TRUNK_SERIES}."))));
    if installed {
        return Ok(());
    }
    // 0.22 needs a newer rustc than this project's machines have.
    step("Installing Trunk 0.21", "about 9 minutes on 2 cores, once per machine", || {
        process::run(Command::new("cargo").args([
            "install",
            "trunk",
            "--version",
            &format!("~{TRUNK_SERIES}"),
            "--locked",
        ]))
    })
}

/// diesel CLI, for `print-schema` (PostgreSQL only: the schema is read from those migrations).
pub fn diesel_cli() -> anyhow::Result<()> {
    // It prints "diesel", then "Version: 2.3.14" and the backends on lines of their own.
    let installed = output(Command::new("diesel").arg("--version"))
        .is_some_and(|v| v.split_whitespace().any(|word| word.starts_with(&format!("{DIESEL_CLI_SERIES}."))));
    if installed {
        return Ok(());
    }
    if !Path::new("/usr/include/postgresql/libpq-fe.h").exists() {
        step("Installing libpq's headers", "seconds", || apt_install(&["libpq-dev"]))?;
    }
    step("Installing diesel CLI 2.3 (PostgreSQL only)", "about 3 minutes, once per machine", || {
        process::run(Command::new("cargo").args([
            "install",
            "diesel_cli",
            "--version",
            &format!("~{DIESEL_CLI_SERIES}"),
            "--no-default-features",
            "--features",
            "postgres",
            "--locked",
        ]))
    })
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
pub fn locked_wasm_bindgen(ws: &Workspace) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(ws.root.join("Cargo.lock")).context("Cargo.lock is missing")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    bail!("Cargo.lock names no wasm-bindgen")
}

fn wasm_bindgen(ws: &Workspace) -> anyhow::Result<()> {
    let version = locked_wasm_bindgen(ws)?;
    let trunk_toml = std::fs::read_to_string(ws.root.join("Trunk.toml"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
        bail!("Trunk.toml must pin wasm_bindgen = \"{version}\", the version in Cargo.lock");
    }
    let installed = output(Command::new("wasm-bindgen").arg("--version"))
        .is_some_and(|v| v.split_whitespace().nth(1) == Some(version.as_str()));
    if installed {
        return Ok(());
    }
    // No --locked: its lock file names a crate version this registry lacks.
    step(&format!("Installing wasm-bindgen-cli {version}"), "about 3 minutes, once per machine", || {
        process::run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
    })
}

/// playwright-core for the browser tests, and binaryen's wasm-opt (Debian's is too old).
fn node_packages(ws: &Workspace) -> anyhow::Result<()> {
    let modules = ws.e2e().join("node_modules");
    if modules.join(".bin/wasm-opt").exists() && modules.join("playwright-core").exists() {
        return Ok(());
    }
    if output(Command::new("npm").arg("--version")).is_none() {
        step("Installing Node.js and npm", "about 1 minute", || apt_install(&["nodejs", "npm"]))?;
    }
    step("Installing the e2e node packages (playwright-core, binaryen)", "under a minute", || {
        process::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(ws.e2e()))
    })
}

pub const ZOPFLI: &str = "/usr/bin/zopfli";

/// zopfli for the dashboard's precompressed files; without it (no root) they are gzip -9.
fn zopfli() {
    if !Path::new(ZOPFLI).exists() {
        if let Err(e) = step("Installing zopfli", "seconds", || apt_install(&["zopfli"])) {
            println!("    {e:#}; the dashboard's files will be compressed with gzip -9 instead");
        }
    }
}

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Debian's Chromium for the browser tests, and openssl, which makes their test certificates.
pub fn chromium() -> anyhow::Result<()> {
    if !Path::new(CHROMIUM).exists() {
        step("Installing Chromium", "about 2 minutes", || apt_install(&["chromium"]))?;
    }
    if !Path::new("/usr/bin/openssl").exists() {
        step("Installing openssl", "seconds", || apt_install(&["openssl"]))?;
    }
    Ok(())
}

/// What `cargo xtask bench` drives and measures with: wrk, curl, and the reference argon2.
pub fn bench_tools() -> anyhow::Result<()> {
    let missing: Vec<&str> =
        [("wrk", "/usr/bin/wrk"), ("curl", "/usr/bin/curl"), ("argon2", "/usr/bin/argon2"), ("gzip", "/usr/bin/gzip")]
            .into_iter()
            .filter(|(_, path)| !Path::new(path).exists())
            .map(|(package, _)| package)
            .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("Installing {}", missing.join(", ")), "seconds", || apt_install(&missing))
}

/// Schemathesis from PyPI in a virtualenv of its own under the cache folder.
pub fn schemathesis() -> anyhow::Result<PathBuf> {
    let venv = cache_dir().join("schemathesis");
    let st = venv.join("bin/st");
    if output(Command::new(&st).arg("--version")).is_some_and(|v| v.contains(SCHEMATHESIS_SERIES)) {
        return Ok(st);
    }
    if output(Command::new("python3").args(["-m", "venv", "--help"])).is_none() {
        step("Installing Python's venv", "seconds", || apt_install(&["python3", "python3-venv"]))?;
    }
    step(
        &format!("Installing Schemathesis {SCHEMATHESIS_SERIES}x from PyPI"),
        "about a minute, once per machine",
        || {
            process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
            process::run(
                Command::new(venv.join("bin/pip"))
                    .args(["install", "-q", "--disable-pip-version-check"])
                    .arg(format!("schemathesis=={SCHEMATHESIS_SERIES}*")),
            )
        },
    )?;
    Ok(st)
}

/// The series the run's options are written for (4.x renamed many of 3.x's).
const SCHEMATHESIS_SERIES: &str = "4.";

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    if !process::is_root() {
        bail!("{} missing; install them with: sudo apt-get install -y {}", packages.join(", "), packages.join(" "));
    }
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        process::run(Command::new("apt-get").args(["update", "-q"]))?;
    }
    process::run(
        Command::new("apt-get").args(["install", "-y", "-q"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
