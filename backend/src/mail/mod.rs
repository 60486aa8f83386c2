//! Automated email through lettre: SMTP when configured, else the outbox. What each message says
//! is in [`letters`].

pub mod letters;

use crate::config::{MailSettings, Settings};
use crate::outbox;
use anyhow::Context;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::path::PathBuf;

pub struct Mailer {
    from: Mailbox,
    route: Route,
}

enum Route {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        let mail: &MailSettings = &settings.mail;
        let from = mail.from.parse().with_context(|| format!("KEYDESK_MAIL_FROM is not an address: {}", mail.from))?;
        let route = match &mail.smtp_host {
            None => Route::Outbox(settings.data_dir.join("outbox")),
            Some(host) => {
                let builder = match mail.smtp_tls.as_str() {
                    "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    other => anyhow::bail!("KEYDESK_SMTP_TLS must be starttls, tls or none, not {other:?}"),
                };
                let builder = builder.port(mail.smtp_port);
                let builder = match (&mail.smtp_user, &mail.smtp_password) {
                    (Some(user), Some(password)) => {
                        builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_string()))
                    }
                    _ => builder,
                };
                Route::Smtp(builder.build())
            }
        };
        Ok(Mailer { from, route })
    }

    /// Sends a plain-text message; the error says why it could not go.
    pub async fn send(&self, to: &str, letters::Letter { subject, body }: letters::Letter) -> anyhow::Result<()> {
        let to: Mailbox = to.parse().with_context(|| format!("{to} is not a valid address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .context("Failed to build the message")?;
        match &self.route {
            Route::Smtp(transport) => {
                transport.send(message).await.map(|_| ()).context("the SMTP server refused the message")
            }
            Route::Outbox(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                actix_web::web::block(move || outbox::write(&dir, "eml", &bytes)).await??;
                Ok(())
            }
        }
    }
}
