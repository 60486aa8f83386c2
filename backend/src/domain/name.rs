//! Display names of people and accounts.

use shared::validate::{parse_name, ACCOUNT_NAME_MAX_CHARS, NAME_MAX_CHARS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, Vec<String>> {
        parse_name(raw, NAME_MAX_CHARS).map(PersonName).map_err(|e| vec![e])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    pub fn parse(raw: &str) -> Result<Self, Vec<String>> {
        parse_name(raw, ACCOUNT_NAME_MAX_CHARS).map(AccountName).map_err(|e| vec![e])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
