//! `keydesk-cli`: the command-line client for scripts. It authenticates with a
//! developer key, which arrives with the developer-keys work; until then it only
//! explains itself.

fn main() -> std::process::ExitCode {
    eprintln!("keydesk-cli: developer-key authentication is not available yet; see the README.");
    std::process::ExitCode::from(2)
}
