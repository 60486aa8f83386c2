//! The scheduled purge: rows that only matter for a while (sessions, sign-in failure and rate-limit
//! counters, second-factor challenges, passkey ceremonies, emailed links, OAuth states) are deleted once they are over,
//! so anonymous floods cannot grow the tables without bound.

use crate::auth::{session, throttle};
use crate::db::{
    self, oauth_states, password_tokens, rate_limit_counters, sessions, sign_in_failures, two_factor_codes,
    webauthn_ceremonies,
};
use crate::db::{DbConnection, DbPool};
use crate::error::ApiError;
use chrono::{NaiveDateTime, Utc};
use std::time::Duration;

/// What one purge removed, table by table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: usize,
    pub sign_in_failures: usize,
    pub rate_limit_counters: usize,
    pub challenges: usize,
    pub passkey_ceremonies: usize,
    pub links: usize,
    pub oauth_states: usize,
}

/// Deletes everything that was over by `now`.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Purged, ApiError> {
    Ok(Purged {
        sessions: sessions::delete_expired(conn, now, now - session::IDLE_TIMEOUT)?,
        sign_in_failures: sign_in_failures::delete_ended(conn, now - throttle::WINDOW)?,
        rate_limit_counters: rate_limit_counters::delete_ended(conn, now - crate::rate_limit::LONGEST_WINDOW)?,
        challenges: two_factor_codes::delete_expired(conn, now)?,
        passkey_ceremonies: webauthn_ceremonies::delete_expired(conn, now)?,
        links: password_tokens::delete_expired(conn, now)?,
        oauth_states: oauth_states::delete_expired(conn, now)?,
    })
}

/// Purges every `interval` for as long as the server runs; a failed round is logged and the next
/// one tries again.
pub fn schedule(pool: DbPool, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = Utc::now().naive_utc();
            match db::run_with(&pool, move |conn| purge(conn, now)).await {
                Ok(purged) if purged != Purged::default() => tracing::debug!(?purged, "purged expired rows"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "the scheduled purge failed"),
            }
        }
    });
}
