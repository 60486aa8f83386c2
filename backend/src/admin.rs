//! Operator commands (`keydesk admin ...`), run against the configured database.

use crate::auth::password;
use crate::config::Settings;
use crate::db::models::{NewAccount, NewUser};
use crate::db::{self, accounts, is_unique_violation, users};
use crate::domain::{AccountName, Email, NewPassword, PersonName};
use anyhow::{bail, Context};
use chrono::Utc;
use clap::Subcommand;
use shared::v1::Role;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a user. Without --account-id, a new account is created with the user as its admin.
    /// The password is read from KEYDESK_NEW_PASSWORD, else from the first line of standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the new account (when --account-id is not given).
        #[arg(long, required_unless_present = "account_id")]
        account_name: Option<String>,
        /// Add the user to this existing account instead.
        #[arg(long)]
        account_id: Option<String>,
        /// admin or standard (a new account's first user is always admin).
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// Account settings only an operator changes.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
}

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Show the OAuth Tokens tab and its endpoints to the account (ACCOUNT: its id or its exact name).
    EnableStripe { account: String },
    /// Hide them again; stored tokens are kept.
    DisableStripe { account: String },
}

pub async fn run(settings: Settings, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser { email, name, account_name, account_id, role } => {
            let password = read_password()?;
            let location = settings.database_location();
            std::fs::create_dir_all(&settings.data_dir)?;
            actix_web::web::block(move || {
                create_user(&location, &email, &name, account_name.as_deref(), account_id.as_deref(), &role, &password)
            })
            .await?
        }
        AdminCommand::Account { command } => {
            let (account, enabled) = match command {
                AccountCommand::EnableStripe { account } => (account, true),
                AccountCommand::DisableStripe { account } => (account, false),
            };
            let location = settings.database_location();
            actix_web::web::block(move || set_stripe(&location, &account, enabled)).await?
        }
    }
}

fn set_stripe(location: &str, account: &str, enabled: bool) -> anyhow::Result<()> {
    let mut conn = db::pool::connect_sized(location, 1)?.get()?;
    let found = accounts::find_by_id_or_name(&mut conn, account)?;
    let target = match found.as_slice() {
        [one] => one,
        [] => bail!("no account has the id or name {account:?}"),
        _ => bail!("several accounts are named {account:?}; give the id"),
    };
    accounts::set_stripe_enabled(&mut conn, &target.id, enabled)?;
    // Running servers on this database answer from their remembered reads until told.
    crate::recent::RecentReads::for_database(location)?.forget_all();
    println!("Stripe {} for {} ({})", if enabled { "enabled" } else { "disabled" }, target.name, target.id);
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("KEYDESK_NEW_PASSWORD") {
        return Ok(p);
    }
    eprintln!("Password for the new user (one line):");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("Failed to read the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn create_user(
    location: &str,
    email: &str,
    name: &str,
    account_name: Option<&str>,
    account_id: Option<&str>,
    role: &str,
    password_text: &str,
) -> anyhow::Result<()> {
    let problems = |field: &str, p: Vec<String>| anyhow::anyhow!("{field}: {}", p.join("; "));
    let email = Email::parse(email).map_err(|p| problems("email", p))?;
    let name = PersonName::parse(name).map_err(|p| problems("name", p))?;
    let new_password = NewPassword::parse(password_text, None, email.as_str()).map_err(|p| problems("password", p))?;
    let Some(role) = Role::parse(role) else { bail!("role must be admin or standard") };
    let hash = password::hash(new_password.expose())?;
    let mut conn = db::pool::connect_sized(location, 1)?.get()?;
    let now = Utc::now().naive_utc();
    // The operator made this user by hand: there is nobody to prove the address to.
    let mut user = NewUser::new(String::new(), name.as_str().into(), &email, hash, role, now);
    let result = match (account_id, account_name) {
        (Some(id), _) => {
            accounts::find(&mut conn, id)?.with_context(|| format!("no account has the id {id}"))?;
            user.account_id = id.into();
            users::insert(&mut conn, &user)
        }
        (None, Some(account_name)) => {
            let account_name = AccountName::parse(account_name).map_err(|p| problems("account name", p))?;
            let account =
                NewAccount { id: Uuid::new_v4().to_string(), name: account_name.as_str().into(), created_at: now };
            user.account_id = account.id.clone();
            user.role = Role::Admin;
            accounts::insert_with_first_user(&mut conn, account, user)
        }
        (None, None) => bail!("give --account-name for a new account or --account-id for an existing one"),
    };
    match result {
        Err(e) if is_unique_violation(&e) => bail!("a user with the email {} already exists", email.as_str()),
        other => other?,
    }
    println!("Created {} ({})", email.as_str(), role.as_str());
    Ok(())
}
