//! Passkeys (WebAuthn) through webauthn-rs: the relying party, and the ceremonies between their
//! two requests, kept in the database (any instance can finish what another began), single use,
//! 5 minutes.

use crate::crypto::{random_token, token_hash};
use crate::db::models::{NewCeremony, PasskeyRow};
use crate::db::purposes::CeremonyPurpose;
use crate::db::{self, passkeys, webauthn_ceremonies};
use crate::error::ApiError;
use crate::state::AppState;
use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use webauthn_rs::prelude::{AuthenticationResult, Passkey, Url, Webauthn, WebauthnBuilder};

const CEREMONY_LIFETIME: Duration = Duration::minutes(5);

/// The relying party: its id and origin come from `KEYDESK_PUBLIC_URL`. Without one (development),
/// it is `localhost` on any port: browsers accept passkeys there over plain HTTP, and never for an
/// IP address, so a loopback address is taken as `localhost` too.
pub fn relying_party(public_url: Option<&str>) -> anyhow::Result<Webauthn> {
    let configured = public_url.map(Url::parse).transpose().context("KEYDESK_PUBLIC_URL is not a URL")?;
    let loopback = configured.as_ref().is_none_or(|url| {
        let host = url.host_str().unwrap_or_default();
        host == "localhost"
            || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    });
    let origin = match (&configured, loopback) {
        (Some(url), false) => url.clone(),
        _ => Url::parse("http://localhost")?,
    };
    let rp_id = origin.host_str().context("KEYDESK_PUBLIC_URL has no host")?.to_string();
    Ok(WebauthnBuilder::new(&rp_id, &origin)
        .context("KEYDESK_PUBLIC_URL cannot be a WebAuthn relying party")?
        .rp_name("Keydesk")
        .allow_any_port(loopback)
        .build()?)
}

/// Stores a ceremony's state; the token returned is what the client sends back to finish it.
pub async fn begin(
    state: &AppState,
    user_id: Option<String>,
    purpose: CeremonyPurpose,
    ceremony: &impl Serialize,
) -> Result<String, ApiError> {
    let token = random_token();
    let now = Utc::now().naive_utc();
    let row = NewCeremony {
        id: token_hash(&token),
        user_id,
        purpose,
        state: serde_json::to_string(ceremony).context("a ceremony's state")?,
        expires_at: now + CEREMONY_LIFETIME,
    };
    db::run(&state.pool, move |conn| Ok(webauthn_ceremonies::insert(conn, row)?)).await?;
    Ok(token)
}

/// Takes the live ceremony `token` of `purpose` (once): its user, if any, and its state.
pub async fn take<S: DeserializeOwned>(
    state: &AppState,
    token: &str,
    purpose: CeremonyPurpose,
) -> Result<Option<(Option<String>, S)>, ApiError> {
    let (id, now) = (token_hash(token), Utc::now().naive_utc());
    let Some(row) = db::run(&state.pool, move |conn| Ok(webauthn_ceremonies::take(conn, &id, purpose, now)?)).await?
    else {
        return Ok(None);
    };
    let ceremony = serde_json::from_str(&row.state).context("a stored ceremony's state")?;
    Ok(Some((row.user_id, ceremony)))
}

/// The stored form of a credential id (base64url, as browsers show it).
pub fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

pub fn parse(row: &PasskeyRow) -> Result<Passkey, ApiError> {
    Ok(serde_json::from_str(&row.credential).context("a stored passkey")?)
}

/// The user's passkeys as webauthn-rs takes them.
pub async fn of_user(state: &AppState, user_id: String) -> Result<Vec<(PasskeyRow, Passkey)>, ApiError> {
    let rows = db::run(&state.pool, move |conn| Ok(passkeys::for_user(conn, &user_id)?)).await?;
    rows.into_iter().map(|row| parse(&row).map(|key| (row, key))).collect()
}

/// Records a successful use: the counter moves forward (a later replay of an older count fails)
/// and the time is kept for the list.
pub async fn record_use(
    state: &AppState,
    row: PasskeyRow,
    mut key: Passkey,
    result: &AuthenticationResult,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    key.update_credential(result);
    let credential = serde_json::to_string(&key).context("a passkey")?;
    db::run_with(&state.pool, move |conn| Ok(passkeys::record_use(conn, &row.id, &credential, now)?)).await
}
