//! Settings, read once from the environment at start-up.

use anyhow::Context;
use secrecy::SecretString;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `KEYDESK_ADDR`, default `127.0.0.1:8080`; port 0 picks a free port.
    pub addr: String,
    /// `KEYDESK_DATA_DIR`, default `./data`: SQLite file, key file, mail outbox.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: a `postgres://` URL overrides the embedded SQLite.
    pub database_url: Option<String>,
    /// `KEYDESK_SECRET_KEY`: 32 bytes as 64 hex digits or base64; else the key file.
    pub secret_key: Option<SecretString>,
    /// `KEYDESK_PREVIOUS_SECRET_KEYS`: comma-separated old keys, still accepted for decryption.
    pub previous_secret_keys: Vec<SecretString>,
    /// `KEYDESK_ALLOW_SIGNUP`, default true.
    pub allow_signup: bool,
    /// `KEYDESK_SPA_DIR`: the built SPA; default `dist` next to the binary, then `./dist`.
    pub spa_dir: Option<PathBuf>,
    pub mail: MailSettings,
    pub sms: SmsSettings,
    /// `KEYDESK_TRUSTED_PROXIES`: comma-separated addresses of reverse proxies whose
    /// `X-Forwarded-For` is believed. Empty (the default): the socket's address is the client's.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `KEYDESK_SHARED_LIMITS`: `database`, `off` or a `redis://` URL
    /// (`KEYDESK_SHARED_LIMITS_PREFIX` names its keys, default `keydesk`). Default: `database` on PostgreSQL
    /// (several instances may share it), `off` on SQLite (one instance).
    pub shared_limits: SharedLimits,
    pub outbound: OutboundSettings,
    pub stripe: StripeSettings,
    /// `KEYDESK_PUBLIC_URL`: how browsers reach Keydesk (e.g. `https://keydesk.example.com`), for
    /// OAuth redirect URIs. Default: the scheme and Host of the request.
    pub public_url: Option<String>,
    /// `KEYDESK_OPERATOR_TOKEN`: enables the operator endpoints (`Authorization: Bearer ...`). Without it
    /// they do not exist.
    pub operator_token: Option<SecretString>,
    /// `KEYDESK_CLIENT_TIMEOUT_SECS`, default 10: how long a client may take to send a request's
    /// head, and then its body; a slower one gets 408 and its connection closed.
    pub client_timeout: std::time::Duration,
    /// `KEYDESK_HASH_QUEUE`, default 32 per core: password hashes waiting or running at once;
    /// past it, requests that need one get 503 `server_busy`.
    pub hash_queue: usize,
    /// `KEYDESK_SIGNUPS_PER_HOUR`, default 10: sign-ups allowed per client address (IPv6: per /64).
    pub signups_per_hour: u32,
    /// `KEYDESK_PURGE_INTERVAL_SECS`, default 600: how often expired sessions, counters, challenges
    /// and links are deleted.
    pub purge_interval: std::time::Duration,
    /// Access-token expiry reads this clock; tests move it.
    pub clock: crate::clock::Clock,
}

/// Where the counts that all instances share are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedLimits {
    /// This instance alone (governor only): the default on SQLite.
    Off,
    /// The `rate_limit_counters` table: the default on PostgreSQL.
    Database,
    /// A Redis server; `prefix` keeps this deployment's keys apart from others'.
    Redis { url: String, prefix: String },
}

/// Password hashes that may wait or run at once per core, unless `KEYDESK_HASH_QUEUE` says otherwise:
/// beyond this a queue only adds latency (each hash takes tens of milliseconds), so a flood is told
/// to come back instead.
pub const HASH_QUEUE_PER_CORE: usize = 32;

/// [`HASH_QUEUE_PER_CORE`] for each core.
pub fn default_hash_queue() -> usize {
    HASH_QUEUE_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Stripe Connect OAuth. Live and test each need their client id and secret key.
#[derive(Debug, Clone)]
pub struct StripeSettings {
    /// `KEYDESK_STRIPE_CONNECT_URL`, default `https://connect.stripe.com`: authorize, token and deauthorize.
    pub connect_url: String,
    /// `KEYDESK_STRIPE_LIVE_CLIENT_ID`, `KEYDESK_STRIPE_TEST_CLIENT_ID` (`ca_...`)
    pub live_client_id: Option<String>,
    pub test_client_id: Option<String>,
    /// `KEYDESK_STRIPE_LIVE_SECRET_KEY`, `KEYDESK_STRIPE_TEST_SECRET_KEY` (`sk_live_...`, `sk_test_...`)
    pub live_secret_key: Option<SecretString>,
    pub test_secret_key: Option<SecretString>,
}

impl Default for StripeSettings {
    fn default() -> Self {
        StripeSettings {
            connect_url: "https://connect.stripe.com".into(),
            live_client_id: None,
            test_client_id: None,
            live_secret_key: None,
            test_secret_key: None,
        }
    }
}

impl StripeSettings {
    fn from_env() -> Self {
        StripeSettings {
            connect_url: var("KEYDESK_STRIPE_CONNECT_URL").unwrap_or_else(|| StripeSettings::default().connect_url),
            live_client_id: var("KEYDESK_STRIPE_LIVE_CLIENT_ID"),
            test_client_id: var("KEYDESK_STRIPE_TEST_CLIENT_ID"),
            live_secret_key: var("KEYDESK_STRIPE_LIVE_SECRET_KEY").map(SecretString::from),
            test_secret_key: var("KEYDESK_STRIPE_TEST_SECRET_KEY").map(SecretString::from),
        }
    }
}

/// Outbound REST/SOAP requests and certificate tests.
#[derive(Debug, Clone)]
pub struct OutboundSettings {
    /// `KEYDESK_OUTBOUND_ALLOW`: comma-separated addresses or networks (`10.0.0.0/8`) that outbound
    /// requests may reach although they are loopback, private or link-local. Default: none.
    pub allow: Vec<ipnet::IpNet>,
    /// `KEYDESK_OUTBOUND_CA_FILE`: extra trusted roots (PEM) besides the public web roots, read at start-up.
    pub extra_roots_pem: Option<String>,
    /// `KEYDESK_OUTBOUND_TIMEOUT_SECS`, default 10: the whole request, connect to last byte.
    pub timeout: std::time::Duration,
}

impl Default for OutboundSettings {
    fn default() -> Self {
        OutboundSettings { allow: Vec::new(), extra_roots_pem: None, timeout: std::time::Duration::from_secs(10) }
    }
}

impl OutboundSettings {
    fn from_env() -> anyhow::Result<Self> {
        let allow = var("KEYDESK_OUTBOUND_ALLOW")
            .map(|list| {
                list.split(',')
                    .map(|entry| {
                        let entry = entry.trim();
                        entry
                            .parse::<ipnet::IpNet>()
                            .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                            .with_context(|| format!("KEYDESK_OUTBOUND_ALLOW: {entry:?} is not an address or network"))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .transpose()?
            .unwrap_or_default();
        let extra_roots_pem = var("KEYDESK_OUTBOUND_CA_FILE")
            .map(|path| {
                std::fs::read_to_string(&path).with_context(|| format!("KEYDESK_OUTBOUND_CA_FILE: cannot read {path}"))
            })
            .transpose()?;
        let timeout = var("KEYDESK_OUTBOUND_TIMEOUT_SECS")
            .map(|t| t.parse().context("KEYDESK_OUTBOUND_TIMEOUT_SECS must be a whole number of seconds"))
            .transpose()?
            .map(std::time::Duration::from_secs)
            .unwrap_or(OutboundSettings::default().timeout);
        Ok(OutboundSettings { allow, extra_roots_pem, timeout })
    }
}

/// Outgoing SMS through a Twilio-style Messages API. Without an account id, messages go to the outbox.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    /// `KEYDESK_SMS_URL`, default `https://api.twilio.com`
    pub base_url: String,
    /// `KEYDESK_SMS_ACCOUNT`
    pub account: Option<String>,
    /// `KEYDESK_SMS_TOKEN`
    pub token: Option<SecretString>,
    /// `KEYDESK_SMS_FROM`: the sender number.
    pub from: String,
}

/// Outgoing mail. Without `KEYDESK_SMTP_HOST`, mail is written to the outbox folder.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `KEYDESK_MAIL_FROM`, default `Keydesk <hello@keydesk.localhost>`.
    pub from: String,
    /// `KEYDESK_SMTP_HOST`
    pub smtp_host: Option<String>,
    /// `KEYDESK_SMTP_PORT`, default 587.
    pub smtp_port: u16,
    /// `KEYDESK_SMTP_TLS`: `starttls` (default), `tls` or `none`.
    pub smtp_tls: String,
    /// `KEYDESK_SMTP_USER`
    pub smtp_user: Option<String>,
    /// `KEYDESK_SMTP_PASSWORD`
    pub smtp_password: Option<SecretString>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

const DEFAULT_SIGNUPS_PER_HOUR: u32 = 10;
const DEFAULT_PURGE_INTERVAL_SECS: u64 = 600;

/// A whole number from `name`, when set.
fn number<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>> {
    var(name)
        .map(|v| v.trim().parse().map_err(|_| anyhow::anyhow!("{name} must be a whole number, not {v:?}")))
        .transpose()
}

fn parse_bool(name: &str, default: bool) -> anyhow::Result<bool> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => anyhow::bail!("{name} must be true or false, not {other:?}"),
    }
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Settings {
            addr: var("KEYDESK_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir: var("KEYDESK_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("data")),
            database_url: var("DATABASE_URL"),
            secret_key: var("KEYDESK_SECRET_KEY").map(SecretString::from),
            previous_secret_keys: var("KEYDESK_PREVIOUS_SECRET_KEYS")
                .map(|v| v.split(',').map(|k| SecretString::from(k.trim().to_string())).collect())
                .unwrap_or_default(),
            allow_signup: parse_bool("KEYDESK_ALLOW_SIGNUP", true)?,
            spa_dir: var("KEYDESK_SPA_DIR").map(PathBuf::from),
            mail: MailSettings {
                from: var("KEYDESK_MAIL_FROM").unwrap_or_else(|| "Keydesk <hello@keydesk.localhost>".into()),
                smtp_host: var("KEYDESK_SMTP_HOST"),
                smtp_port: var("KEYDESK_SMTP_PORT")
                    .map(|p| p.parse().context("KEYDESK_SMTP_PORT must be a port number"))
                    .transpose()?
                    .unwrap_or(587),
                smtp_tls: var("KEYDESK_SMTP_TLS").unwrap_or_else(|| "starttls".into()),
                smtp_user: var("KEYDESK_SMTP_USER"),
                smtp_password: var("KEYDESK_SMTP_PASSWORD").map(SecretString::from),
            },
            shared_limits: match var("KEYDESK_SHARED_LIMITS").as_deref() {
                Some("database") => SharedLimits::Database,
                Some("off") => SharedLimits::Off,
                Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => SharedLimits::Redis {
                    url: url.to_string(),
                    prefix: var("KEYDESK_SHARED_LIMITS_PREFIX").unwrap_or_else(|| "keydesk".into()),
                },
                Some(other) => {
                    anyhow::bail!("KEYDESK_SHARED_LIMITS must be database, off or a redis:// URL, not {other:?}")
                }
                None if var("DATABASE_URL").is_some_and(|u| crate::db::pool::is_postgres(&u)) => SharedLimits::Database,
                None => SharedLimits::Off,
            },
            trusted_proxies: var("KEYDESK_TRUSTED_PROXIES")
                .map(|list| {
                    list.split(',')
                        .map(|ip| {
                            ip.trim()
                                .parse()
                                .with_context(|| format!("KEYDESK_TRUSTED_PROXIES: {ip:?} is not an IP address"))
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
                .transpose()?
                .unwrap_or_default(),
            sms: SmsSettings {
                base_url: var("KEYDESK_SMS_URL").unwrap_or_else(|| "https://api.twilio.com".into()),
                account: var("KEYDESK_SMS_ACCOUNT"),
                token: var("KEYDESK_SMS_TOKEN").map(SecretString::from),
                from: var("KEYDESK_SMS_FROM").unwrap_or_default(),
            },
            outbound: OutboundSettings::from_env()?,
            stripe: StripeSettings::from_env(),
            public_url: var("KEYDESK_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string()),
            operator_token: var("KEYDESK_OPERATOR_TOKEN").map(SecretString::from),
            client_timeout: std::time::Duration::from_secs(
                var("KEYDESK_CLIENT_TIMEOUT_SECS")
                    .map(|t| t.parse().context("KEYDESK_CLIENT_TIMEOUT_SECS must be a whole number of seconds"))
                    .transpose()?
                    .unwrap_or(10),
            ),
            hash_queue: number("KEYDESK_HASH_QUEUE")?.unwrap_or_else(default_hash_queue),
            signups_per_hour: number("KEYDESK_SIGNUPS_PER_HOUR")?.unwrap_or(DEFAULT_SIGNUPS_PER_HOUR),
            purge_interval: std::time::Duration::from_secs(
                number("KEYDESK_PURGE_INTERVAL_SECS")?.unwrap_or(DEFAULT_PURGE_INTERVAL_SECS).max(1),
            ),
            clock: Default::default(),
        })
    }

    /// Settings for a server on a free loopback port with its data in `data_dir`.
    pub fn for_tests(data_dir: PathBuf, database_url: Option<String>) -> Self {
        let shared_limits = match database_url.as_deref() {
            Some(url) if crate::db::pool::is_postgres(url) => SharedLimits::Database,
            _ => SharedLimits::Off,
        };
        Settings {
            addr: "127.0.0.1:0".into(),
            data_dir,
            database_url,
            secret_key: None,
            previous_secret_keys: Vec::new(),
            allow_signup: true,
            spa_dir: None,
            mail: MailSettings {
                from: "Keydesk <hello@keydesk.localhost>".into(),
                smtp_host: None,
                smtp_port: 587,
                smtp_tls: "none".into(),
                smtp_user: None,
                smtp_password: None,
            },
            sms: SmsSettings { base_url: String::new(), account: None, token: None, from: String::new() },
            trusted_proxies: Vec::new(),
            shared_limits,
            outbound: OutboundSettings::default(),
            stripe: StripeSettings::default(),
            public_url: None,
            operator_token: None,
            client_timeout: std::time::Duration::from_secs(10),
            hash_queue: default_hash_queue(),
            signups_per_hour: DEFAULT_SIGNUPS_PER_HOUR,
            purge_interval: std::time::Duration::from_secs(DEFAULT_PURGE_INTERVAL_SECS),
            clock: Default::default(),
        }
    }

    /// The database to open: `DATABASE_URL`, else the SQLite file in the data folder.
    pub fn database_location(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => self.data_dir.join("keydesk.sqlite3").to_string_lossy().into_owned(),
        }
    }
}
