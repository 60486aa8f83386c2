//! `keydesk-cli`: the Keydesk API for scripts. Reads `KEYDESK_URL` and
//! `KEYDESK_KEY` (a developer key), prints JSON, and exits non-zero with the
//! server's error message on failure.

#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod client;

use clap::{Parser, Subcommand};
use client::Client;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "keydesk-cli", version, about = "Keydesk API client for scripts")]
struct Cli {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long, env = "KEYDESK_URL", default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A developer key (kd_...).
    #[arg(long, env = "KEYDESK_KEY", hide_env_values = true)]
    key: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The user the key belongs to.
    Me,
    /// The state of the developer key (never the key itself).
    DeveloperKey,
    /// API credentials issued by POST /api/auth.
    #[command(subcommand)]
    ApiCredentials(ApiCredentialsCommand),
}

#[derive(Subcommand)]
enum ApiCredentialsCommand {
    /// List live credentials.
    List,
    /// Revoke one by id.
    Revoke { id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let client = match Client::new(&cli.url, &cli.key) {
        Ok(client) => client,
        Err(message) => return fail(&message),
    };
    let result = match cli.command {
        Command::Me => client.get::<shared::v1::MeResponse>("/api/v1/me").map(|v| to_json(&v)),
        Command::DeveloperKey => {
            client.get::<shared::v1::DeveloperKeyState>("/api/v1/me/developer-key").map(|v| to_json(&v))
        }
        Command::ApiCredentials(ApiCredentialsCommand::List) => {
            client.get::<Vec<shared::v1::ApiCredentialResponse>>("/api/v1/me/api-credentials").map(|v| to_json(&v))
        }
        Command::ApiCredentials(ApiCredentialsCommand::Revoke { id }) => {
            client.delete(&format!("/api/v1/me/api-credentials/{id}")).map(|()| "{}".to_string())
        }
    };
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("keydesk-cli: {message}");
    ExitCode::FAILURE
}
