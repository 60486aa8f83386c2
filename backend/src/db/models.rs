//! Row structs: `XRow` to read, `NewX` to write. They never reach the wire;
//! functions here turn them into the shared DTOs.

use crate::db::purposes::{CeremonyPurpose, CodePurpose};
use crate::db::schema::{
    access_tokens, accounts, api_credentials, applications, certificates, deployments, developer_keys, devices,
    integrations, js_libraries, oauth_states, oauth_tokens, passkeys, security_events, sessions, token_policies,
    two_factor, two_factor_codes, users, webauthn_ceremonies,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::v1::{
    AccountSummary, ApiCredentialResponse, AuthMethod, DeveloperKeyState, MeResponse, Role, TokenType, TwoFactorMethod,
    TwoFactorState,
};

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

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
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

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow").field("id", &self.id).field("email", &self.email).finish_non_exhaustive()
    }
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
    pub csrf_token: String,
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

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = developer_keys)]
pub struct DeveloperKeyRow {
    pub user_id: String,
    pub lookup_hash: String,
    pub sealed_key: String,
    pub hint: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub last_used_ip: Option<String>,
}

impl std::fmt::Debug for DeveloperKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeveloperKeyRow")
            .field("user_id", &self.user_id)
            .field("hint", &self.hint)
            .finish_non_exhaustive()
    }
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

/// The key's state as the API shows it (never the key).
pub fn developer_key_state(row: Option<&DeveloperKeyRow>) -> DeveloperKeyState {
    match row {
        None => DeveloperKeyState::absent(),
        Some(row) => DeveloperKeyState {
            exists: true,
            created_at: Some(row.created_at.and_utc()),
            last_used_at: row.last_used_at.map(|t| t.and_utc()),
            last_used_ip: row.last_used_ip.clone(),
            hint: Some(row.hint.clone()),
        },
    }
}

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = api_credentials)]
pub struct ApiCredentialRow {
    pub id: String,
    pub user_id: String,
    pub tool: String,
    pub login: String,
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
}

impl std::fmt::Debug for ApiCredentialRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiCredentialRow").field("id", &self.id).field("tool", &self.tool).finish_non_exhaustive()
    }
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

pub fn api_credential_response(row: ApiCredentialRow, lifetime: chrono::Duration) -> ApiCredentialResponse {
    ApiCredentialResponse {
        login_hint: row.login.chars().take(8).collect(),
        id: row.id,
        tool: row.tool,
        created_at: row.created_at.and_utc(),
        last_used_at: row.last_used_at.and_utc(),
        expires_at: (row.last_used_at + lifetime).and_utc(),
    }
}

/// The two-factor state as the API shows it, destination masked.
pub fn two_factor_state(row: Option<&TwoFactorRow>, recovery_codes_remaining: i64) -> TwoFactorState {
    match row.map(|r| (r, r.method)) {
        None => TwoFactorState::off(),
        Some((row, method)) => TwoFactorState {
            enabled: true,
            method: Some(method),
            destination_hint: Some(shared::v1::destination_hint(method, &row.destination)),
            recovery_codes_remaining: u32::try_from(recovery_codes_remaining).unwrap_or(0),
        },
    }
}

/// The user as `GET /api/v1/me` shows them.
pub fn me_response(
    user: UserRow,
    account: AccountRow,
    key: Option<&DeveloperKeyRow>,
    two_factor: TwoFactorState,
) -> MeResponse {
    MeResponse {
        role: user.role(),
        id: user.id,
        name: user.name,
        email: user.email,
        account: AccountSummary { id: account.id, name: account.name, stripe_enabled: account.stripe_enabled },
        created_at: user.created_at.and_utc(),
        developer_key: developer_key_state(key),
        two_factor,
        email_verified: user.email_verified,
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = two_factor)]
pub struct TwoFactorRow {
    pub user_id: String,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub method: TwoFactorMethod,
    pub destination: String,
    pub enabled_at: NaiveDateTime,
    /// The last authenticator-app time step accepted; a code of that step or earlier is refused.
    pub last_totp_step: Option<i64>,
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = two_factor_codes)]
pub struct TwoFactorCodeRow {
    pub id: String,
    pub user_id: String,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub purpose: CodePurpose,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub method: TwoFactorMethod,
    pub destination: String,
    pub code_hash: String,
    pub attempts: i32,
    pub sent_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = devices)]
pub struct DeviceRow {
    pub id: String,
    pub user_id: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = js_libraries)]
pub struct JsLibraryRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub name_normalized: String,
    pub description: String,
    pub code: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deployments)]
pub struct DeploymentRow {
    pub id: String,
    pub application_id: String,
    pub label: String,
    pub variables: String,
    pub created_at: NaiveDateTime,
    pub oauth_token_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: String,
    pub account_id: String,
    pub domain: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: NaiveDateTime,
    pub not_after: NaiveDateTime,
    pub fingerprint_sha256: String,
    pub chain_pem: String,
    pub private_key_sealed: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct OAuthTokenRow {
    pub id: String,
    pub account_id: String,
    pub provider: String,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub token_type: TokenType,
    pub description: String,
    pub stripe_user_id: String,
    pub livemode: bool,
    pub scope: String,
    pub access_token_sealed: String,
    pub refresh_token_sealed: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_states)]
pub struct OAuthStateRow {
    pub state_hash: String,
    pub session_id: String,
    pub account_id: String,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub token_type: TokenType,
    pub description: String,
    pub token_id: Option<String>,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = integrations)]
pub struct IntegrationRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub name_normalized: String,
    pub kind: String,
    pub config: String,
    pub secrets_sealed: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = security_events)]
pub struct SecurityEventRow {
    pub id: String,
    pub account_id: String,
    pub user_id: Option<String>,
    pub kind: String,
    pub detail: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = passkeys)]
pub struct PasskeyRow {
    pub id: String,
    pub user_id: String,
    pub credential_id: String,
    pub name: String,
    /// webauthn-rs's `Passkey` as JSON.
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webauthn_ceremonies)]
pub struct CeremonyRow {
    pub id: String,
    pub user_id: Option<String>,
    #[diesel(deserialize_as = String)]
    #[diesel(serialize_as = String)]
    pub purpose: CeremonyPurpose,
    /// webauthn-rs's ceremony state as JSON (holds the challenge).
    pub state: String,
    pub expires_at: NaiveDateTime,
}

/// A personal access token as stored: found by `lookup_hash` (a keyed hash), never kept otherwise.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_tokens)]
pub struct AccessTokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub lookup_hash: String,
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
    pub lookup_hash: String,
    pub hint: String,
    pub scopes: String,
    pub allowed_networks: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = token_policies)]
pub struct TokenPolicyRow {
    pub account_id: String,
    pub max_lifetime_days: i32,
    pub allow_no_expiry: bool,
}
