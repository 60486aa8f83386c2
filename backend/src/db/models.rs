//! Row structs: `XRow` to read, `NewX` to write (for a table written whole, both from one list:
//! `written_whole!`). Tables only ever read a column or two at a time (emailed links, access codes)
//! have their `NewX` alone; counters (rate limits, sign-in failures) and the links between
//! applications and their libraries and integrations are written as the few columns they are. Rows
//! never reach the wire: the routes turn them into the shared DTOs.

use crate::db::purposes::{CeremonyPurpose, CodePurpose, LinkPurpose};
use crate::db::schema::{
    access_tokens, accounts, api_credentials, applications, certificates, deployments, developer_keys, devices,
    integrations, js_libraries, oauth_states, oauth_tokens, passkeys, password_tokens, recovery_codes, security_events,
    sessions, token_policies, two_factor, two_factor_codes, users, webauthn_ceremonies,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::v1::{AuthMethod, IntegrationType, Role, SecurityEventKind, TokenType, TwoFactorMethod};

/// A table written whole: `$row` to read (`Queryable`, `Selectable`) and `$new` to write (`Insertable`),
/// from one field list, with the derives each needs besides; a `$new` becomes the `$row` it stores.
macro_rules! written_whole {
    ($table:ident: $row:ident[$($row_derive:ident),*] / $new:ident[$($new_derive:ident),*] {
        $($(#[$field_meta:meta])* $field:ident: $ty:ty,)*
    }) => {
        #[derive(Clone, Queryable, Selectable, $($row_derive),*)]
        #[diesel(table_name = $table)]
        pub struct $row { $($(#[$field_meta])* pub $field: $ty,)* }

        #[derive(Clone, Insertable, $($new_derive),*)]
        #[diesel(table_name = $table)]
        pub struct $new { $($(#[$field_meta])* pub $field: $ty,)* }

        impl From<$new> for $row {
            fn from(new: $new) -> $row {
                $row { $($field: new.$field,)* }
            }
        }
    };
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub stripe_enabled: bool,
    pub company_name: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    #[diesel(deserialize_as = String)]
    pub password_hash: shared::Secret,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub can_create: bool,
    pub can_share: bool,
    pub last_sign_in_at: Option<NaiveDateTime>,
    /// True once the user has shown they receive mail at `email` (see `email_verification`).
    pub email_verified: bool,
}

impl UserRow {
    pub fn role(&self) -> Role {
        self.role
    }
}

#[derive(Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
    #[diesel(serialize_as = String)]
    pub role: Role,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub can_create: bool,
    pub can_share: bool,
    pub email_verified: bool,
}

impl NewUser {
    /// An active user with a new id, who may create and share, and whose address counts as proven
    /// (a caller that mails a link to prove it, or limits what they may do, says so after).
    pub fn new(
        account_id: String,
        name: String,
        email: &crate::domain::Email,
        password_hash: String,
        role: Role,
        now: NaiveDateTime,
    ) -> NewUser {
        NewUser {
            id: uuid::Uuid::new_v4().to_string(),
            account_id,
            name,
            email: email.as_str().into(),
            email_normalized: email.normalized().into(),
            password_hash,
            role,
            is_active: true,
            created_at: now,
            updated_at: now,
            can_create: true,
            can_share: true,
            email_verified: true,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    #[diesel(deserialize_as = String)]
    pub csrf_token: shared::Secret,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub password_checked_at: NaiveDateTime,
    pub ip: String,
    pub user_agent: String,
    /// `password`, `password_and_second_factor` or `passkey` ([`shared::v1::AuthMethod`]).
    #[diesel(deserialize_as = String)]
    pub auth_method: AuthMethod,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession {
    pub id: String,
    pub user_id: String,
    #[diesel(serialize_as = String)]
    pub csrf_token: shared::Secret,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub password_checked_at: NaiveDateTime,
    pub ip: String,
    pub user_agent: String,
    /// `password`, `password_and_second_factor` or `passkey` ([`shared::v1::AuthMethod`]).
    #[diesel(serialize_as = String)]
    pub auth_method: AuthMethod,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = developer_keys)]
pub struct DeveloperKeyRow {
    pub user_id: String,
    #[diesel(deserialize_as = String)]
    pub lookup_hash: shared::Secret,
    #[diesel(deserialize_as = String)]
    pub sealed_key: shared::Secret,
    pub hint: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub last_used_ip: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = developer_keys)]
pub struct NewDeveloperKey {
    pub user_id: String,
    pub lookup_hash: String,
    pub sealed_key: String,
    pub hint: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_credentials)]
pub struct ApiCredentialRow {
    pub id: String,
    pub user_id: String,
    pub tool: String,
    #[diesel(deserialize_as = String)]
    pub login: shared::Secret,
    #[diesel(deserialize_as = String)]
    pub secret_hash: shared::Secret,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = api_credentials)]
pub struct NewApiCredential {
    pub id: String,
    pub user_id: String,
    pub tool: String,
    pub login: String,
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
}

written_whole! {
    two_factor: TwoFactorRow[Debug] / NewTwoFactor[] {
        user_id: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        method: TwoFactorMethod,
        destination: String,
        enabled_at: NaiveDateTime,
        /// The last authenticator-app time step accepted; a code of that step or earlier is refused.
        last_totp_step: Option<i64>,
    }
}

written_whole! {
    two_factor_codes: TwoFactorCodeRow[] / NewTwoFactorCode[] {
        id: String,
        user_id: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        purpose: CodePurpose,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        method: TwoFactorMethod,
        destination: String,
        code_hash: String,
        attempts: i32,
        sent_at: NaiveDateTime,
        expires_at: NaiveDateTime,
    }
}

written_whole! {
    devices: DeviceRow[Debug] / NewDevice[] {
        id: String,
        user_id: String,
        user_agent: String,
        ip: String,
        created_at: NaiveDateTime,
        last_seen_at: NaiveDateTime,
    }
}

written_whole! {
    applications: ApplicationRow[Debug] / NewApplication[] {
        id: String,
        account_id: String,
        name: String,
        description: String,
        created_at: NaiveDateTime,
        updated_at: NaiveDateTime,
    }
}

written_whole! {
    js_libraries: JsLibraryRow[Debug, QueryableByName] / NewJsLibrary[] {
        id: String,
        account_id: String,
        name: String,
        name_normalized: String,
        description: String,
        code: String,
        created_at: NaiveDateTime,
        updated_at: NaiveDateTime,
    }
}

written_whole! {
    deployments: DeploymentRow[Debug] / NewDeployment[] {
        id: String,
        application_id: String,
        label: String,
        variables: String,
        created_at: NaiveDateTime,
        oauth_token_id: Option<String>,
    }
}

written_whole! {
    certificates: CertificateRow[Debug] / NewCertificate[] {
        id: String,
        account_id: String,
        domain: String,
        subject: String,
        issuer: String,
        not_before: NaiveDateTime,
        not_after: NaiveDateTime,
        fingerprint_sha256: String,
        chain_pem: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        private_key_sealed: shared::Secret,
        created_at: NaiveDateTime,
        created_by: Option<String>,
    }
}

written_whole! {
    oauth_tokens: OAuthTokenRow[Debug] / NewOAuthToken[] {
        id: String,
        account_id: String,
        provider: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        token_type: TokenType,
        description: String,
        stripe_user_id: String,
        livemode: bool,
        scope: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        access_token_sealed: shared::Secret,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        refresh_token_sealed: shared::Secret,
        created_at: NaiveDateTime,
        created_by: Option<String>,
        updated_at: NaiveDateTime,
    }
}

written_whole! {
    oauth_states: OAuthStateRow[Debug] / NewOAuthState[] {
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        state_hash: shared::Secret,
        session_id: String,
        account_id: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        token_type: TokenType,
        description: String,
        token_id: Option<String>,
        expires_at: NaiveDateTime,
    }
}

written_whole! {
    integrations: IntegrationRow[Debug] / NewIntegration[] {
        id: String,
        account_id: String,
        name: String,
        name_normalized: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        kind: IntegrationType,
        config: String,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        secrets_sealed: shared::Secret,
        created_at: NaiveDateTime,
        created_by: Option<String>,
        updated_at: NaiveDateTime,
    }
}

written_whole! {
    security_events: SecurityEventRow[Debug] / NewSecurityEvent[] {
        id: String,
        account_id: String,
        user_id: Option<String>,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        kind: SecurityEventKind,
        detail: String,
        ip: String,
        user_agent: String,
        created_at: NaiveDateTime,
    }
}

written_whole! {
    passkeys: PasskeyRow[Debug] / NewPasskey[] {
        id: String,
        user_id: String,
        credential_id: String,
        name: String,
        /// webauthn-rs's `Passkey` as JSON.
        credential: String,
        created_at: NaiveDateTime,
        last_used_at: Option<NaiveDateTime>,
    }
}

written_whole! {
    webauthn_ceremonies: CeremonyRow[Debug] / NewCeremony[] {
        id: String,
        user_id: Option<String>,
        #[diesel(deserialize_as = String)]
        #[diesel(serialize_as = String)]
        purpose: CeremonyPurpose,
        /// webauthn-rs's ceremony state as JSON (holds the challenge).
        state: String,
        expires_at: NaiveDateTime,
    }
}

/// An emailed link (invitation, reset, address check); it is only ever taken back whole by its hash.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = password_tokens)]
pub struct NewPasswordToken {
    #[diesel(serialize_as = String)]
    pub token_hash: shared::Secret,
    pub user_id: String,
    #[diesel(serialize_as = String)]
    pub purpose: LinkPurpose,
    pub expires_at: NaiveDateTime,
}

/// One of a user's one-time access codes; read back only as (id, hash) pairs to compare.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = recovery_codes)]
pub struct NewRecoveryCode {
    pub id: String,
    pub user_id: String,
    #[diesel(serialize_as = String)]
    pub code_hash: shared::Secret,
}

/// A personal access token as stored: found by `lookup_hash` (a keyed hash), never kept otherwise.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_tokens)]
pub struct AccessTokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub lookup_hash: shared::Secret,
    pub hint: String,
    /// [`shared::v1::TokenScopes`] as JSON.
    pub scopes: String,
    /// JSON array of CIDR networks; empty for anywhere.
    pub allowed_networks: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub last_used_ip: Option<String>,
    /// JSON array of the addresses it was used from.
    pub seen_ips: String,
    pub expiry_notice_sent: bool,
    pub expiry_recorded: bool,
}

impl AccessTokenRow {
    /// The stored scopes and networks, read into types: the one place the JSON columns are parsed.
    pub fn scopes_and_networks(&self) -> anyhow::Result<(shared::v1::TokenScopes, Vec<String>)> {
        use anyhow::Context;
        let scopes = serde_json::from_str(&self.scopes).with_context(|| format!("access token {}: scopes", self.id))?;
        let networks = serde_json::from_str(&self.allowed_networks)
            .with_context(|| format!("access token {}: networks", self.id))?;
        Ok((scopes, networks))
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = access_tokens)]
pub struct NewAccessToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    #[diesel(serialize_as = String)]
    pub lookup_hash: shared::Secret,
    pub hint: String,
    pub scopes: String,
    pub allowed_networks: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
}

written_whole! {
    token_policies: TokenPolicyRow[Debug] / NewTokenPolicy[AsChangeset] {
        account_id: String,
        max_lifetime_days: i32,
        allow_no_expiry: bool,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Secret;

    #[test]
    fn users_keys_credentials_and_sessions_print_no_hash_key_or_token() {
        let at = NaiveDateTime::default();
        let s = || Secret::new("hunter2-secret");
        let printed = [
            format!(
                "{:?}",
                UserRow {
                    id: "u".into(),
                    account_id: "a".into(),
                    name: "Ann".into(),
                    email: "ann@example.com".into(),
                    email_normalized: "ann@example.com".into(),
                    password_hash: s(),
                    role: Role::Admin,
                    is_active: true,
                    created_at: at,
                    updated_at: at,
                    can_create: true,
                    can_share: true,
                    last_sign_in_at: None,
                    email_verified: true,
                }
            ),
            format!(
                "{:?}",
                DeveloperKeyRow {
                    user_id: "u".into(),
                    lookup_hash: s(),
                    sealed_key: s(),
                    hint: "kd_…abcd".into(),
                    created_at: at,
                    last_used_at: None,
                    last_used_ip: None,
                }
            ),
            format!(
                "{:?}",
                ApiCredentialRow {
                    id: "c".into(),
                    user_id: "u".into(),
                    tool: "cli".into(),
                    login: s(),
                    secret_hash: s(),
                    created_at: at,
                    last_used_at: at,
                }
            ),
            format!(
                "{:?}",
                NewSession {
                    id: "s".into(),
                    user_id: "u".into(),
                    csrf_token: s(),
                    created_at: at,
                    last_seen_at: at,
                    expires_at: at,
                    password_checked_at: at,
                    ip: "127.0.0.1".into(),
                    user_agent: "test".into(),
                    auth_method: AuthMethod::Password,
                }
            ),
        ];
        for text in printed {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("***"), "{text}");
        }
    }
}
