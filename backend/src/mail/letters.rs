//! Every email Keydesk writes: its subject and plain-text body, in one place so the wording can be
//! read and changed together. The callers decide when and to whom; the text is here.

use chrono::NaiveDateTime;
use shared::v1::mask_email;

/// One message: a subject line and a plain-text body.
pub struct Letter {
    pub subject: &'static str,
    pub body: String,
}

fn utc(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Why a user is mailed a link to choose a password.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordLink {
    /// An admin added them: the account's name, and the admin's name and email.
    Invite { account: String, admin: String },
    /// An admin asked for a reset.
    AdminReset,
    /// They asked for one themselves ("Forgot password?").
    SelfReset,
}

pub fn password_link(why: &PasswordLink, name: &str, link: &str) -> Letter {
    match why {
        PasswordLink::Invite { account, admin } => Letter {
            subject: "You have been invited to Keydesk",
            body: format!("Hello {name},\n\n{admin} added you to the Keydesk account \"{account}\". Choose your password here (the link works once, for 7 days):\n\n{link}\n\nIf you did not expect this, you can ignore this email.\n"),
        },
        PasswordLink::AdminReset => Letter {
            subject: "Reset your Keydesk password",
            body: format!("Hello {name},\n\nAn admin asked for a password reset for your account. Choose a new password here (the link works once, for 1 hour):\n\n{link}\n\nIf you did not expect this, tell your admin.\n"),
        },
        PasswordLink::SelfReset => Letter {
            subject: "Reset your Keydesk password",
            body: format!("Hello {name},\n\nSomeone asked to reset the password of your Keydesk account. If it was you, choose a new password here (the link works once, for 1 hour):\n\n{link}\n\nIf it was not you, ignore this email: your password stays as it is.\n"),
        },
    }
}

/// The text of a two-factor code, by email or SMS (where only the body goes).
pub fn verification_code(code: &str) -> Letter {
    Letter {
        subject: "Your Keydesk verification code",
        body: format!("Your Keydesk verification code is {code}. It expires in 10 minutes."),
    }
}

pub fn confirm_address(name: &str, link: &str) -> Letter {
    Letter {
        subject: "Confirm your email address for Keydesk",
        body: format!(
            "Hello {name},\n\nA Keydesk account was created with this address. Confirm the address here \
             (the link works once, for 24 hours):\n\n{link}\n\nIf you did not sign up, ignore this email: \
             the account does not hold your address, and you can sign up with it yourself.\n"
        ),
    }
}

/// To an address's owner when someone tried to sign up with it.
pub fn sign_up_attempt(email: &str, at: NaiveDateTime, address: &str) -> Letter {
    Letter {
        subject: "Someone tried to create an account with your address",
        body: format!(
            "Someone tried to create a Keydesk account with your address ({email}) at {} UTC, from {address}.\n\n\
             Your account is unchanged, and the new account does not get your address. If this was you, \
             sign in instead.\n",
            utc(at)
        ),
    }
}

/// A sign-in from a device not recognized.
pub fn new_device(at: NaiveDateTime, address: &str, browser: &str) -> Letter {
    Letter {
        subject: "New sign-in to your Keydesk account",
        body: format!(
            "A sign-in to your Keydesk account came from a device we did not recognize.\n\n\
             Time: {} UTC\nAddress: {address}\nBrowser: {browser}\n\n\
             If this was you, there is nothing to do. If not, change your password now and review your \
             two-factor authentication settings.\n",
            utc(at)
        ),
    }
}

/// A personal access token expiring on `on`; `base` is where the dashboard is.
pub fn token_expiring(name: &str, hint: &str, on: &str, base: &str) -> Letter {
    Letter {
        subject: "A Keydesk access token expires in 7 days",
        body: format!(
            "Your personal access token \"{name}\" ({hint}) expires on {on}.\n\nScripts using it will get 401 token_expired \
             from then on. To keep them working, create a new token under Account > Access tokens:\n{base}/account\n"
        ),
    }
}

/// What happened to the account, for a security notice (ASVS 6.3.7).
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

/// A security notice: what happened, when, from where and from which browser.
pub fn notice(notice: &Notice, at: NaiveDateTime, address: &str, browser: &str) -> Letter {
    let (subject, what) = notice.subject_and_text();
    let browser = if browser.is_empty() { "unknown" } else { browser };
    Letter {
        subject,
        body: format!(
            "{what}\n\nTime: {} UTC\nAddress: {address}\nBrowser: {browser}\n\n\
             If this was you, there is nothing to do. If not, change your password now, review your \
             two-factor authentication settings and your security log.\n",
            utc(at)
        ),
    }
}
