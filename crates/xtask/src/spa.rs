//! Builds the dashboard with Trunk, skipping the build when nothing it is made of changed.

use crate::process::{self, step};
use crate::setup::{self, Toolchain};
use crate::Workspace;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

/// What the SPA is built from (this file holds its build settings).
const INPUTS: [&str; 6] = ["frontend", "shared", "Cargo.lock", "Cargo.toml", "Trunk.toml", "crates/xtask/src/spa.rs"];

pub fn build(ws: &Workspace, toolchain: &Toolchain) -> anyhow::Result<()> {
    let stamp_file = ws.target.join("xtask/spa.stamp");
    let stamp = fingerprint(ws).to_string();
    let fresh =
        ws.dist().join("index.html").exists() && std::fs::read_to_string(&stamp_file).is_ok_and(|old| old == stamp);
    if fresh {
        println!("==> Dashboard is up to date (dist/)");
        return Ok(());
    }
    step("Building the dashboard (wasm, release)", "about 3 minutes the first time", || {
        // cargo first, online, so build-std can fetch the standard library's dependencies;
        // Trunk then finds everything built and runs offline (it would download tools otherwise).
        process::run(wasm_command(ws, toolchain, "cargo").args([
            "build",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
            "-p",
            "keydesk-frontend",
        ]))?;
        process::run(wasm_command(ws, toolchain, "trunk").args(["build", "--release", "--offline"]))?;
        precompress(&ws.dist())
    })?;
    std::fs::create_dir_all(ws.target.join("xtask"))?;
    std::fs::write(stamp_file, stamp)?;
    Ok(())
}

/// Writes `name.gz` beside each file, with zopfli (gzip format, about 5% smaller than gzip -9)
/// where setup could install it; the server sends these as they are (compressing on the fly,
/// it would use a fast level and send more).
fn precompress(dist: &Path) -> anyhow::Result<()> {
    let zopfli = Path::new(setup::ZOPFLI).exists();
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if !path.is_file() || path.extension().is_some_and(|e| e == "gz") {
            continue;
        }
        let mut command = match zopfli {
            true => Command::new(setup::ZOPFLI),
            false => Command::new("gzip"),
        };
        let args: &[&str] = if zopfli { &["--gzip"] } else { &["-9", "--no-name", "--keep", "--force"] };
        process::run(command.args(args).arg(&path))?;
    }
    Ok(())
}

/// A command that builds for wasm32 with the chosen toolchain, size-optimised,
/// in its own target dir (two rustc versions sharing one would rebuild each other's crates).
fn wasm_command(ws: &Workspace, toolchain: &Toolchain, program: &str) -> Command {
    let mut command = Command::new(program);
    let node_bin = ws.e2e().join("node_modules/.bin");
    let path = std::env::var("PATH").unwrap_or_default();
    let path = match toolchain {
        Toolchain::Rustup => format!("{}:{path}", node_bin.display()),
        Toolchain::DebianBuildStd => format!("{}:/usr/bin:{path}", node_bin.display()),
    };
    command
        .current_dir(&ws.root)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", ws.target.join("wasm"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
    // Leptos's type-erased views: one copy of the view code instead of one per component type; the
    // wasm is about 14% smaller. With rustup's toolchain (and its rust-src), a panic also stops the
    // app where it happens, with no message, and the standard library is built with its
    // size-optimised algorithms: another 6% (Debian's older rustc-web lacks that panic strategy).
    // LLVM inlining only what is smaller inlined: 2 KB less gzip than opt-level z's own threshold.
    let (rustflags, std_features) = match toolchain {
        Toolchain::Rustup => (
            "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none \
             -Cllvm-args=-inline-threshold=0",
            "optimize_for_size",
        ),
        Toolchain::DebianBuildStd => ("--cfg erase_components -Cllvm-args=-inline-threshold=0", ""),
    };
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", rustflags)
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", std_features);
    // Set by `cargo xtask` for rustup's toolchain; they must not leak into Debian's.
    for var in ["CARGO", "RUSTC", "RUSTDOC", "RUSTC_WRAPPER", "RUSTUP_TOOLCHAIN"] {
        command.env_remove(var);
    }
    command
}

fn fingerprint(ws: &Workspace) -> u64 {
    let mut hasher = DefaultHasher::new();
    for input in INPUTS {
        hash_path(&ws.root, &ws.root.join(input), &mut hasher);
    }
    hasher.finish()
}

fn hash_path(root: &Path, path: &Path, hasher: &mut DefaultHasher) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| e.path()).collect();
        entries.sort();
        for entry in entries {
            hash_path(root, &entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        path.strip_prefix(root).unwrap_or(path).hash(hasher);
        bytes.hash(hasher);
    }
}
