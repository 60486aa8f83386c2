//! The `keydesk` binary: `serve` (the default) and operator commands.

use clap::{Parser, Subcommand};
use keydesk::{admin, config::Settings, startup::Application, telemetry};
use std::io::Write;

#[derive(Parser)]
#[command(name = "keydesk", version, about = "Keydesk account and credentials console")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Operator commands.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    return_large_blocks_to_the_os();
    telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings).await?;
            // Ignore a closed stdout (a service manager may have none): serving matters, printing does not.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "Keydesk is running at {}", app.url());
            let _ = writeln!(
                out,
                "Open it in a browser and choose \"Create an account\" to make the first account and its admin."
            );
            app.run_until_stopped().await
        }
        Command::Admin(cmd) => admin::run(settings, cmd).await,
    }
}

/// argon2 takes a 19 MiB block per hash. After the first such block is freed, glibc raises its
/// mmap threshold above that size, and later blocks come from (and stay in) the heap, about one
/// per hash: 2 GB resident after seconds of sign-ins. A fixed threshold keeps large blocks
/// mmap'ed, so each goes back to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_os() {
    // SAFETY: mallopt only tunes the allocator; this runs first, before other threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_os() {}
