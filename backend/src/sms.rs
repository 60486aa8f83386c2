//! SMS through a Twilio-style Messages API (reqwest), else the outbox.

use crate::config::Settings;
use crate::outbox;
use anyhow::{bail, Context};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::time::Duration;

pub enum SmsSender {
    Http { client: reqwest::Client, base_url: String, account: String, token: SecretString, from: String },
    Outbox(PathBuf),
}

impl SmsSender {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<SmsSender> {
        let sms = &settings.sms;
        Ok(match (&sms.account, &sms.token) {
            (Some(account), Some(token)) => SmsSender::Http {
                client: reqwest::Client::builder().timeout(Duration::from_secs(15)).build()?,
                base_url: sms.base_url.trim_end_matches('/').to_string(),
                account: account.clone(),
                token: token.clone(),
                from: sms.from.clone(),
            },
            _ => SmsSender::Outbox(settings.data_dir.join("outbox")),
        })
    }

    /// `POST {base}/2010-04-01/Accounts/{account}/Messages.json` with `To`, `From`, `Body`.
    pub async fn send(&self, to: &str, body: &str) -> anyhow::Result<()> {
        match self {
            SmsSender::Http { client, base_url, account, token, from } => {
                let url = format!("{base_url}/2010-04-01/Accounts/{account}/Messages.json");
                let response = client
                    .post(url)
                    .basic_auth(account, Some(token.expose_secret()))
                    .form(&[("To", to), ("From", from.as_str()), ("Body", body)])
                    .send()
                    .await
                    .context("the SMS provider could not be reached")?;
                if !response.status().is_success() {
                    bail!("the SMS provider answered {}", response.status());
                }
                Ok(())
            }
            SmsSender::Outbox(dir) => {
                let dir = dir.clone();
                let text = format!("To: {to}\n\n{body}\n");
                actix_web::web::block(move || outbox::write(&dir, "sms.txt", text.as_bytes())).await??;
                Ok(())
            }
        }
    }
}
