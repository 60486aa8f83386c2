//! Integrations: the account's connections to outside services. Everyone in the account sees them; only
//! admins add, edit and delete. Each type's fields, and which are secret, are defined here once, for the
//! API's checks and the dashboard's forms alike.

use crate::v1::ApplicationRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IntegrationType {
    Dialogflow,
    Dynamodb,
    AwsS3,
    Rest,
}

/// One field of an integration type.
#[derive(Debug, Clone, Copy)]
pub struct IntegrationField {
    pub name: &'static str,
    pub label: &'static str,
    /// Write-only: encrypted at rest, never returned, replaced only by entering a new value.
    pub secret: bool,
    pub check: fn(&str) -> Result<(), String>,
}

const fn field(name: &'static str, label: &'static str, check: fn(&str) -> Result<(), String>) -> IntegrationField {
    IntegrationField { name, label, secret: false, check }
}

const fn secret(name: &'static str, label: &'static str, check: fn(&str) -> Result<(), String>) -> IntegrationField {
    IntegrationField { name, label, secret: true, check }
}

impl IntegrationType {
    pub const ALL: [IntegrationType; 4] =
        [IntegrationType::Dialogflow, IntegrationType::Dynamodb, IntegrationType::AwsS3, IntegrationType::Rest];

    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationType::Dialogflow => "dialogflow",
            IntegrationType::Dynamodb => "dynamodb",
            IntegrationType::AwsS3 => "aws_s3",
            IntegrationType::Rest => "rest",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        IntegrationType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            IntegrationType::Dialogflow => "Dialogflow",
            IntegrationType::Dynamodb => "DynamoDB",
            IntegrationType::AwsS3 => "AWS S3",
            IntegrationType::Rest => "REST",
        }
    }

    pub fn fields(self) -> &'static [IntegrationField] {
        match self {
            IntegrationType::Dialogflow => DIALOGFLOW,
            IntegrationType::Dynamodb => DYNAMODB,
            IntegrationType::AwsS3 => AWS_S3,
            IntegrationType::Rest => REST,
        }
    }
}

const DIALOGFLOW: &[IntegrationField] = &[
    field("project_id", "Project ID", check_project_id),
    secret("service_account_json", "Service account JSON", check_service_account),
];
const DYNAMODB: &[IntegrationField] = &[
    field("region", "Region", check_region),
    field("access_key_id", "Access key ID", check_access_key_id),
    secret("secret_access_key", "Secret access key", check_secret_access_key),
    field("table", "Table", check_table),
];
const AWS_S3: &[IntegrationField] = &[
    field("bucket", "Bucket", check_bucket),
    field("region", "Region", check_region),
    field("access_key_id", "Access key ID", check_access_key_id),
    secret("secret_access_key", "Secret access key", check_secret_access_key),
];
const REST: &[IntegrationField] = &[
    field("base_url", "Base URL", check_base_url),
    field("auth_header_name", "Auth header name", check_header_name),
    secret("auth_header_value", "Auth header value", check_header_value),
];

fn all(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    text.chars().all(allowed)
}

/// Google Cloud project ids: 6 to 30 lower-case letters, digits and hyphens, starting with a letter.
fn check_project_id(v: &str) -> Result<(), String> {
    let ok = (6..=30).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && !v.ends_with('-')
        && all(v, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(()).ok_or_else(|| "Use the project's id: 6 to 30 lower-case letters, digits and hyphens".into())
}

/// The key file Google issues for a service account.
fn check_service_account(v: &str) -> Result<(), String> {
    let problem = || {
        "Paste the service account's JSON key file (type service_account, with client_email and private_key)"
            .to_string()
    };
    let value: serde_json::Value = serde_json::from_str(v).map_err(|_| problem())?;
    let has = |key: &str| value.get(key).and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty());
    (value.get("type").and_then(|t| t.as_str()) == Some("service_account") && has("client_email") && has("private_key"))
        .then_some(())
        .ok_or_else(problem)
}

/// AWS regions: `us-east-1`, `eu-central-2`, `us-gov-west-1`.
fn check_region(v: &str) -> Result<(), String> {
    let parts: Vec<&str> = v.split('-').collect();
    let ok = parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && all(p, |c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| all(p, |c| c.is_ascii_digit()));
    ok.then_some(()).ok_or_else(|| "Use an AWS region such as us-east-1".into())
}

fn check_access_key_id(v: &str) -> Result<(), String> {
    let ok = (16..=128).contains(&v.len()) && all(v, |c| c.is_ascii_uppercase() || c.is_ascii_digit());
    ok.then_some(()).ok_or_else(|| "An access key id is 16 or more upper-case letters and digits (AKIA...)".into())
}

fn check_secret_access_key(v: &str) -> Result<(), String> {
    let ok = v.len() == 40 && all(v, |c| c.is_ascii_alphanumeric() || c == '/' || c == '+');
    ok.then_some(()).ok_or_else(|| "A secret access key is 40 letters, digits, / and +".into())
}

fn check_table(v: &str) -> Result<(), String> {
    let ok = (3..=255).contains(&v.len()) && all(v, |c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    ok.then_some(()).ok_or_else(|| "A table name is 3 to 255 letters, digits, _, . and -".into())
}

/// S3 bucket naming rules, less the rarely met ones.
fn check_bucket(v: &str) -> Result<(), String> {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = (3..=63).contains(&v.len())
        && all(v, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge_ok(v.chars().next())
        && edge_ok(v.chars().last())
        && !v.contains("..")
        && v.parse::<std::net::Ipv4Addr>().is_err();
    ok.then_some(()).ok_or_else(|| "A bucket name is 3 to 63 lower-case letters, digits, dots and hyphens".into())
}

fn check_base_url(v: &str) -> Result<(), String> {
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/')) && !v.contains(char::is_whitespace);
    ok.then_some(()).ok_or_else(|| "Use an http:// or https:// URL".into())
}

/// An HTTP header name (RFC 9110 token).
fn check_header_name(v: &str) -> Result<(), String> {
    let ok = (1..=100).contains(&v.len()) && all(v, |c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
    ok.then_some(()).ok_or_else(|| "Use a header name such as Authorization or X-Api-Key".into())
}

fn check_header_value(v: &str) -> Result<(), String> {
    let ok = (1..=4096).contains(&v.len()) && all(v, |c| c == ' ' || c.is_ascii_graphic());
    ok.then_some(()).ok_or_else(|| "Use printable characters only, at most 4096".into())
}

/// `POST /api/v1/integrations`, `PUT /api/v1/integrations/{id}`. On PUT, a secret left out or empty
/// keeps its stored value.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationRequest {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IntegrationType,
    /// Secret fields among them (keys, service-account JSON): every value is kept out of `Debug`.
    #[serde(default)]
    pub config: BTreeMap<String, crate::Secret>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationResponse {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IntegrationType,
    /// The type's fields that are not secret.
    pub config: BTreeMap<String, String>,
    /// The secret fields that hold a value (never the value).
    pub secrets_set: Vec<String>,
    /// Applications whose settings use it.
    pub used_by: Vec<ApplicationRef>,
    pub created_by: Option<String>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_s_fields_are_checked() {
        let check = |kind: IntegrationType, name: &str, value: &str| {
            (kind.fields().iter().find(|f| f.name == name).unwrap().check)(value)
        };
        assert!(check(IntegrationType::AwsS3, "region", "us-east-1").is_ok());
        assert!(check(IntegrationType::AwsS3, "region", "Mars").is_err());
        assert!(check(IntegrationType::AwsS3, "bucket", "my-bucket.logs").is_ok());
        assert!(check(IntegrationType::AwsS3, "bucket", "My_Bucket").is_err());
        assert!(check(IntegrationType::AwsS3, "bucket", "192.168.1.1").is_err());
        assert!(check(IntegrationType::Dynamodb, "access_key_id", "AKIAIOSFODNN7EXAMPLE").is_ok());
        assert!(
            check(IntegrationType::Dynamodb, "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_ok()
        );
        assert!(check(IntegrationType::Dynamodb, "secret_access_key", "short").is_err());
        assert!(check(IntegrationType::Dialogflow, "project_id", "my-agent-123").is_ok());
        let key = r#"{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com", "private_key": "-----BEGIN"}"#;
        assert!(check(IntegrationType::Dialogflow, "service_account_json", key).is_ok());
        assert!(check(IntegrationType::Dialogflow, "service_account_json", r#"{"type": "user"}"#).is_err());
        assert!(check(IntegrationType::Rest, "base_url", "https://api.example.com/v2").is_ok());
        assert!(check(IntegrationType::Rest, "base_url", "ftp://x").is_err());
        assert!(check(IntegrationType::Rest, "auth_header_name", "X-Api-Key").is_ok());
        assert!(check(IntegrationType::Rest, "auth_header_name", "Bad Header").is_err());
        assert!(check(IntegrationType::Rest, "auth_header_value", "Bearer abc\n").is_err());
    }

    #[test]
    fn every_type_has_exactly_the_secret_fields_the_spec_names() {
        let secrets =
            |kind: IntegrationType| kind.fields().iter().filter(|f| f.secret).map(|f| f.name).collect::<Vec<_>>();
        assert_eq!(secrets(IntegrationType::Dialogflow), ["service_account_json"]);
        assert_eq!(secrets(IntegrationType::Dynamodb), ["secret_access_key"]);
        assert_eq!(secrets(IntegrationType::AwsS3), ["secret_access_key"]);
        assert_eq!(secrets(IntegrationType::Rest), ["auth_header_value"]);
    }
}
