//! Personal access tokens (`kdt_…`): many per user, each named, limited to scopes, expiring, and
//! optionally limited to networks. The developer key stays as it was, beside them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest lifetime a token can be given, and the default account maximum.
pub const TOKEN_MAX_DAYS: u32 = 366;
pub const TOKEN_NAME_MAX_CHARS: usize = 100;
pub const TOKEN_NETWORKS_MAX: usize = 32;
/// Tokens one user may hold at once, expired ones included (revoke to make room).
pub const TOKENS_PER_USER_MAX: usize = 50;
/// The owner is emailed once this many days before a token expires.
pub const EXPIRY_NOTICE_DAYS: i64 = 7;

macro_rules! resources {
    ($($resource:ident => $name:literal, $label:literal;)*) => {
        /// What a token's scope can reach. Credentials (keys, tokens, passwords, two-factor
        /// authentication, sessions, passkeys) are none of these: they need a signed-in person.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum TokenResource { $($resource),* }

        impl TokenResource {
            pub const ALL: &'static [TokenResource] = &[$(TokenResource::$resource),*];

            pub fn as_str(self) -> &'static str {
                match self { $(TokenResource::$resource => $name),* }
            }

            /// How the dashboard names it.
            pub fn label(self) -> &'static str {
                match self { $(TokenResource::$resource => $label),* }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|r| r.as_str() == text)
            }
        }
    };
}

resources! {
    Profile => "profile", "Profile";
    Certificates => "certificates", "Certificates";
    JsLibraries => "js_libraries", "JS libraries, applications and deployments";
    Integrations => "integrations", "Integrations";
    OauthTokens => "oauth_tokens", "OAuth tokens";
    Users => "users", "Users and account information (admins)";
    SecurityLog => "security_log", "Security log";
    RestRequests => "rest_requests", "REST requests";
}

/// `read` or `write`; write implies read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenAccess {
    Read,
    Write,
}

impl TokenAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenAccess::Read => "read",
            TokenAccess::Write => "write",
        }
    }
}

/// Each resource a token may reach, and how far.
pub type TokenScopes = BTreeMap<TokenResource, TokenAccess>;

/// One scope an operation needs, written `resource:access` (as in the OpenAPI document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub resource: TokenResource,
    pub access: TokenAccess,
}

impl Scope {
    pub fn parse(text: &str) -> Option<Scope> {
        let (resource, access) = text.split_once(':')?;
        let access = match access {
            "read" => TokenAccess::Read,
            "write" => TokenAccess::Write,
            _ => return None,
        };
        Some(Scope { resource: TokenResource::parse(resource)?, access })
    }

    /// Whether `scopes` reach this far.
    pub fn granted_by(self, scopes: &TokenScopes) -> bool {
        scopes.get(&self.resource).is_some_and(|held| *held >= self.access)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.resource.as_str(), self.access.as_str())
    }
}

/// `POST /api/v1/me/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAccessTokenRequest {
    pub name: String,
    pub scopes: TokenScopes,
    /// 1 to the account's maximum (at most 366); null for no expiry, where the account allows it.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
    /// Addresses the token may be used from, as CIDR (`203.0.113.0/24`, `2001:db8::/32`) or single
    /// addresses; empty or absent for anywhere.
    #[serde(default)]
    pub allowed_networks: Vec<String>,
    /// Needed from a browser session whose last password check is over 15 minutes old.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<crate::Secret>,
}

impl CreateAccessTokenRequest {
    /// Every problem with the request under `policy`, by field.
    pub fn problems(&self, policy: &TokenPolicy) -> crate::FieldErrors {
        let mut problems = crate::FieldErrors::new();
        let mut note = |field: &str, problem: String| problems.entry(field.into()).or_default().push(problem);
        if let Err(e) = crate::validate::parse_name(&self.name, TOKEN_NAME_MAX_CHARS) {
            note("name", e);
        }
        if self.scopes.is_empty() {
            note("scopes", "Choose at least one scope.".into());
        }
        match self.expires_in_days {
            None if !policy.allow_no_expiry => note(
                "expires_in_days",
                format!("Choose an expiry of 1 to {} days; this account requires one.", policy.max_lifetime_days),
            ),
            Some(days) if days == 0 || days > policy.max_lifetime_days => {
                note("expires_in_days", format!("Choose 1 to {} days.", policy.max_lifetime_days))
            }
            _ => {}
        }
        if self.allowed_networks.len() > TOKEN_NETWORKS_MAX {
            note("allowed_networks", format!("At most {TOKEN_NETWORKS_MAX} networks."));
        }
        for network in &self.allowed_networks {
            if parse_network(network).is_none() {
                note("allowed_networks", format!("{network:?} is not an address or a CIDR network."));
            }
        }
        problems
    }
}

/// A network as written in `allowed_networks`: CIDR, or one address.
pub fn parse_network(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>().ok().or_else(|| text.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}

/// A token as listed: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessToken {
    pub id: String,
    pub name: String,
    /// Enough of the token to tell which one it is (`kdt_…wxyz`).
    pub hint: String,
    pub scopes: TokenScopes,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    /// None: never expires (only where the account allows it).
    #[serde(default, deserialize_with = "crate::timestamp::deserialize_option")]
    pub expires_at: Option<DateTime<Utc>>,
    pub expired: bool,
    #[serde(default, deserialize_with = "crate::timestamp::deserialize_option")]
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub allowed_networks: Vec<String>,
    /// Whose token it is (the account's list shows everyone's).
    pub user_id: String,
    pub user_email: String,
}

/// `201` from `POST /api/v1/me/tokens`: the token, shown this once, with its record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedAccessToken {
    pub token: crate::Secret,
    #[serde(flatten)]
    pub record: AccessToken,
}

/// `GET|PUT /api/v1/account/token-policy`: what tokens the account's users may create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPolicy {
    /// 1 to 366 days.
    pub max_lifetime_days: u32,
    /// Whether tokens may be created without an expiry.
    pub allow_no_expiry: bool,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy { max_lifetime_days: TOKEN_MAX_DAYS, allow_no_expiry: false }
    }
}

impl TokenPolicy {
    pub fn problems(&self) -> crate::FieldErrors {
        let mut problems = crate::FieldErrors::new();
        if self.max_lifetime_days == 0 || self.max_lifetime_days > TOKEN_MAX_DAYS {
            problems.insert("max_lifetime_days".into(), vec![format!("Choose 1 to {TOKEN_MAX_DAYS} days.")]);
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(days: Option<u32>, networks: &[&str]) -> CreateAccessTokenRequest {
        CreateAccessTokenRequest {
            name: "Deploy".into(),
            scopes: TokenScopes::from([(TokenResource::Certificates, TokenAccess::Read)]),
            expires_in_days: days,
            allowed_networks: networks.iter().map(|n| n.to_string()).collect(),
            password: None,
        }
    }

    #[test]
    fn write_implies_read_and_nothing_else() {
        let scopes = TokenScopes::from([(TokenResource::Certificates, TokenAccess::Write)]);
        assert!(Scope::parse("certificates:read").unwrap().granted_by(&scopes));
        assert!(Scope::parse("certificates:write").unwrap().granted_by(&scopes));
        assert!(!Scope::parse("users:read").unwrap().granted_by(&scopes));
        let read = TokenScopes::from([(TokenResource::Certificates, TokenAccess::Read)]);
        assert!(!Scope::parse("certificates:write").unwrap().granted_by(&read));
    }

    #[test]
    fn scopes_read_back_as_written() {
        for resource in TokenResource::ALL {
            for access in [TokenAccess::Read, TokenAccess::Write] {
                let scope = Scope { resource: *resource, access };
                assert_eq!(Scope::parse(&scope.to_string()), Some(scope));
            }
        }
        assert_eq!(Scope::parse("keys:write"), None);
        assert_eq!(Scope::parse("profile:admin"), None);
    }

    #[test]
    fn expiry_follows_the_policy() {
        let policy = TokenPolicy::default();
        assert!(request(Some(30), &[]).problems(&policy).is_empty());
        assert!(request(Some(366), &[]).problems(&policy).is_empty());
        assert!(request(Some(0), &[]).problems(&policy).contains_key("expires_in_days"));
        assert!(request(Some(367), &[]).problems(&policy).contains_key("expires_in_days"));
        assert!(request(None, &[]).problems(&policy).contains_key("expires_in_days"));
        let lenient = TokenPolicy { max_lifetime_days: 30, allow_no_expiry: true };
        assert!(request(None, &[]).problems(&lenient).is_empty());
        assert!(request(Some(31), &[]).problems(&lenient).contains_key("expires_in_days"));
    }

    #[test]
    fn networks_are_cidr_or_single_addresses() {
        let policy = TokenPolicy::default();
        assert!(request(Some(1), &["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]).problems(&policy).is_empty());
        assert!(request(Some(1), &["203.0.113.0/33"]).problems(&policy).contains_key("allowed_networks"));
        assert!(request(Some(1), &["example.com"]).problems(&policy).contains_key("allowed_networks"));
    }
}
