//! `keydesk-cli`: the Keydesk API for scripts. Reads `KEYDESK_URL` and
//! `KEYDESK_KEY` (a developer key, or a personal access token within its scopes),
//! prints JSON, and exits non-zero with the server's error message on failure.

#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod client;

use clap::{Parser, Subcommand};
use client::Client;
use shared::paths;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "keydesk-cli", version, about = "Keydesk API client for scripts")]
struct Cli {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long, env = "KEYDESK_URL", default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A developer key (kd_...) or a personal access token (kdt_...).
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
    /// Personal access tokens (managed with the developer key; a token cannot manage tokens).
    #[command(subcommand)]
    Tokens(TokensCommand),
}

#[derive(Subcommand)]
enum TokensCommand {
    /// List your tokens (never the tokens themselves).
    List,
    /// Create a token; it is printed this once.
    Create {
        #[arg(long)]
        name: String,
        /// `resource:read` or `resource:write`, once per resource (e.g. --scope certificates:read).
        #[arg(long = "scope", required = true, value_parser = parse_scope)]
        scopes: Vec<shared::v1::Scope>,
        /// 1 to 366, within the account's maximum.
        #[arg(long, conflicts_with = "no_expiry", required_unless_present = "no_expiry")]
        expires_in_days: Option<u32>,
        /// No expiry, where the account's token policy allows it.
        #[arg(long)]
        no_expiry: bool,
        /// A CIDR network or address the token may be used from; repeat for several.
        #[arg(long = "network")]
        networks: Vec<String>,
    },
    /// Revoke one of your tokens by id.
    Revoke { id: String },
}

fn parse_scope(text: &str) -> Result<shared::v1::Scope, String> {
    shared::v1::Scope::parse(text).ok_or_else(|| {
        let resources: Vec<&str> = shared::v1::TokenResource::ALL.iter().map(|r| r.as_str()).collect();
        format!("expected resource:read or resource:write, with resource one of {}", resources.join(", "))
    })
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
        Command::Me => client.get::<shared::v1::MeResponse>(paths::ME).map(|v| to_json(&v)),
        Command::DeveloperKey => {
            client.get::<shared::v1::DeveloperKeyState>(paths::MY_DEVELOPER_KEY).map(|v| to_json(&v))
        }
        Command::ApiCredentials(ApiCredentialsCommand::List) => {
            client.get::<Vec<shared::v1::ApiCredentialResponse>>(paths::MY_API_CREDENTIALS).map(|v| to_json(&v))
        }
        Command::ApiCredentials(ApiCredentialsCommand::Revoke { id }) => {
            client.delete(&paths::with_id(paths::MY_API_CREDENTIAL, &id)).map(|()| "{}".to_string())
        }
        Command::Tokens(TokensCommand::List) => {
            client.get::<Vec<shared::v1::AccessToken>>(paths::MY_TOKENS).map(|v| to_json(&v))
        }
        Command::Tokens(TokensCommand::Create { name, scopes, expires_in_days, no_expiry: _, networks }) => {
            let request = shared::v1::CreateAccessTokenRequest {
                name,
                scopes: scopes.into_iter().map(|s| (s.resource, s.access)).collect(),
                expires_in_days,
                allowed_networks: networks,
                password: None,
            };
            client.post::<_, shared::v1::CreatedAccessToken>(paths::MY_TOKENS, &request).map(|v| to_json(&v))
        }
        Command::Tokens(TokensCommand::Revoke { id }) => {
            client.delete(&paths::with_id(paths::MY_TOKEN, &id)).map(|()| "{}".to_string())
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
