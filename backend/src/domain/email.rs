//! `Email`: a checked address and its case-folded form used for uniqueness.

use shared::validate::parse_email;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    display: String,
    normalized: String,
}

impl Email {
    pub fn parse(raw: &str) -> Result<Email, Vec<String>> {
        let display = parse_email(raw).map_err(|e| vec![e])?;
        Ok(Email { normalized: Email::normalize(&display), display })
    }

    /// The lookup form; emails are unique regardless of case.
    pub fn normalize(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}
