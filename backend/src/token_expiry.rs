//! Access-token expiry, on the purge interval: each owner is emailed once when a token has a week
//! left (GitHub's habit), and each expiry is written to the security log once.

use crate::audit;
use crate::db::{self, access_tokens};
use crate::error::ApiError;
use crate::mail::letters;
use crate::state::AppState;
use actix_web::web;
use chrono::TimeDelta;
use shared::v1::{SecurityEventKind, EXPIRY_NOTICE_DAYS};

/// What one sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub notices: usize,
    pub expiries: usize,
}

pub async fn sweep(state: &AppState) -> Result<Swept, ApiError> {
    let now = state.settings.clock.now();
    let due = db::run(&state.pool, move |conn| {
        Ok(access_tokens::due_for_notice(conn, now, now + TimeDelta::days(EXPIRY_NOTICE_DAYS))?)
    })
    .await?;
    let mut swept = Swept::default();
    for (token, user) in due {
        let on = token.expires_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
        let letter = letters::token_expiring(&token.name, &token.hint, &on, &crate::routes::public_base(state));
        // Marked only once the mail is out, so a failed send is tried again next time.
        match state.mailer.send(&user.email, letter).await {
            Ok(()) => {
                let id = token.id.clone();
                db::run(&state.pool, move |conn| Ok(access_tokens::mark_notice_sent(conn, &id)?)).await?;
                swept.notices += 1;
            }
            Err(e) => tracing::warn!(error = ?e, token = token.id, "could not send a token expiry notice"),
        }
    }
    let expired = db::run(&state.pool, move |conn| Ok(access_tokens::expired_unrecorded(conn, now)?)).await?;
    for (token, user) in expired {
        let detail = format!("{} ({})", token.name, token.hint);
        audit::record_unattended(state, &user, SecurityEventKind::AccessTokenExpired, detail).await;
        let id = token.id.clone();
        db::run(&state.pool, move |conn| Ok(access_tokens::mark_expiry_recorded(conn, &id)?)).await?;
        swept.expiries += 1;
    }
    Ok(swept)
}

/// Sweeps every purge interval for as long as the server runs.
pub fn schedule(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(state.settings.purge_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match sweep(&state).await {
                Ok(swept) if swept != Swept::default() => tracing::debug!(?swept, "swept access tokens"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "the access-token sweep failed"),
            }
        }
    });
}
