//! Passwords: any submitted one (`Password`) and one that meets the policy (`NewPassword`).

use secrecy::{ExposeSecret, SecretString};
use shared::validate::{check_new_password, PasswordProblem, PASSWORD_MAX_CHARS};

/// A password as typed, for checking against a stored hash. Redacted in `Debug`.
#[derive(Debug, Clone)]
pub struct Password(SecretString);

impl Password {
    /// Only the length is limited here, so a huge body cannot make argon2 work for nothing.
    pub fn parse(raw: &str) -> Result<Password, Vec<String>> {
        if raw.is_empty() {
            return Err(vec!["Enter your password".into()]);
        }
        if raw.chars().count() > PASSWORD_MAX_CHARS {
            return Err(vec![format!("Use at most {PASSWORD_MAX_CHARS} characters")]);
        }
        Ok(Password(SecretString::from(raw.to_string())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// A password that meets the policy, for storing.
#[derive(Debug, Clone)]
pub struct NewPassword(SecretString);

impl NewPassword {
    /// Applies the shared policy; `current` is the verified current password, if any.
    pub fn parse(raw: &str, current: Option<&str>, email: &str) -> Result<NewPassword, Vec<String>> {
        let problems = check_new_password(raw, current, email, shared::common_passwords::bundled());
        if problems.is_empty() {
            Ok(NewPassword(SecretString::from(raw.to_string())))
        } else {
            Err(problems.into_iter().map(PasswordProblem::message).collect())
        }
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}
