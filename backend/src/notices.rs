//! Security notices by email (ASVS 6.3.7): the owner hears of every change to how they sign in,
//! with when, from where and from which browser, so a change they did not make stands out.

use crate::auth::session::{client_ip, user_agent};
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::Utc;
use shared::v1::mask_email;

/// What happened to the account.
pub enum Notice {
    PasswordChanged,
    /// Sent to the old address; the new one is masked in it.
    EmailChanged {
        new_email: String,
    },
    TwoFactorOn,
    TwoFactorChanged,
    TwoFactorOff,
    AccessCodesRenewed,
    DeveloperKeyGenerated,
    DeveloperKeyShown,
    PasskeyAdded {
        name: String,
    },
    PasskeyRemoved {
        name: String,
    },
    AccessTokenCreated {
        name: String,
    },
    /// `POST /api/auth` issued API credentials to an address not seen for this user before.
    ApiCredentialsFromNewAddress {
        tool: String,
    },
}

impl Notice {
    fn subject_and_text(&self) -> (&'static str, String) {
        match self {
            Notice::PasswordChanged => ("Your Keydesk password was changed", "Your password was changed.".into()),
            Notice::EmailChanged { new_email } => (
                "Your Keydesk email address was changed",
                format!(
                    "The email address of your account was changed to {}. This address no longer receives its mail.",
                    mask_email(new_email)
                ),
            ),
            Notice::TwoFactorOn => {
                ("Two-factor authentication is on", "Two-factor authentication was turned on for your account.".into())
            }
            Notice::TwoFactorChanged => (
                "Your two-factor authentication was changed",
                "The way your account receives two-factor codes was changed.".into(),
            ),
            Notice::TwoFactorOff => (
                "Two-factor authentication is off",
                "Two-factor authentication was turned off: sign-ins now need only your password.".into(),
            ),
            Notice::AccessCodesRenewed => (
                "New one-time access codes were made",
                "A new set of one-time access codes was made for your account; the old ones no longer work.".into(),
            ),
            Notice::DeveloperKeyGenerated => (
                "A new Keydesk developer key",
                "A new developer key was generated; any earlier key no longer works.".into(),
            ),
            Notice::DeveloperKeyShown => {
                ("Your Keydesk developer key was shown", "Your developer key was shown.".into())
            }
            Notice::PasskeyAdded { name } => (
                "A passkey was added to your Keydesk account",
                format!("A passkey named \"{name}\" was added: it can now sign in to your account without a password."),
            ),
            Notice::PasskeyRemoved { name } => (
                "A passkey was removed from your Keydesk account",
                format!("The passkey named \"{name}\" was removed and no longer signs in."),
            ),
            Notice::AccessTokenCreated { name } => (
                "A personal access token was created",
                format!("A personal access token named \"{name}\" was created for your account."),
            ),
            Notice::ApiCredentialsFromNewAddress { tool } => (
                "API credentials issued to a new address",
                format!("API credentials for {tool} were issued through POST /api/auth to an address not seen before."),
            ),
        }
    }
}

/// Emails `notice` to `to` in the background: the change has happened, and a slow or failing
/// mail server must not hold up or fail its answer (a failure is logged).
pub fn send(state: &AppState, req: &HttpRequest, to: &str, notice: Notice) {
    let (subject, what) = notice.subject_and_text();
    let body = format!(
        "{what}\n\nTime: {} UTC\nAddress: {}\nBrowser: {}\n\n\
         If this was you, there is nothing to do. If not, change your password now, review your \
         two-factor authentication settings and your security log.\n",
        Utc::now().format("%Y-%m-%d %H:%M:%S"),
        client_ip(req),
        match user_agent(req) {
            ua if ua.is_empty() => "unknown".to_string(),
            ua => ua,
        }
    );
    let (mailer, to) = (state.mailer.clone(), to.to_string());
    actix_web::rt::spawn(async move {
        if let Err(e) = mailer.send(&to, subject, body).await {
            tracing::warn!(error = ?e, subject, "could not send a security notice");
        }
    });
}
