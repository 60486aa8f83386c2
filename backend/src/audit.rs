//! Writing the security log. An event that cannot be written is logged as an error; the action it
//! describes has already happened, so the caller's answer stands.

use crate::db::models::{NewSecurityEvent, UserRow};
use crate::db::{self, security_events};
use crate::request::{client_ip, user_agent};
use crate::state::AppState;
use actix_web::HttpRequest;
use chrono::Utc;
use shared::v1::SecurityEventKind;
use uuid::Uuid;

/// Records that `user` (who did it, or whose sign-in it was) caused `kind`, about `detail`.
pub async fn record(
    state: &AppState,
    request: &HttpRequest,
    user: &UserRow,
    kind: SecurityEventKind,
    detail: impl Into<String>,
) {
    record_for(state, request, (&user.account_id, &user.id), kind, detail).await;
}

/// [`record`] for a user known by (account id, user id).
pub async fn record_for(
    state: &AppState,
    request: &HttpRequest,
    (account_id, user_id): (&str, &str),
    kind: SecurityEventKind,
    detail: impl Into<String>,
) {
    write(state, entry(request, (account_id, user_id), kind, detail.into())).await;
}

/// The event of [`record`], to be inserted by [`security_events::insert`] in the same transaction as the
/// change it describes: one commit, and no change without its entry. Its `detail` is empty, to be set
/// once known (a name the request still has to check); set its time then too, when the change is made.
pub fn event(request: &HttpRequest, user: &UserRow, kind: SecurityEventKind) -> NewSecurityEvent {
    entry(request, (&user.account_id, &user.id), kind, String::new())
}

fn entry(
    request: &HttpRequest,
    (account_id, user_id): (&str, &str),
    kind: SecurityEventKind,
    detail: String,
) -> NewSecurityEvent {
    row((account_id, user_id), kind, detail, client_ip(request), user_agent(request))
}

/// [`record`] for what the server did on its own (a token expiring): no address, no browser.
pub async fn record_unattended(state: &AppState, user: &UserRow, kind: SecurityEventKind, detail: String) {
    write(state, row((&user.account_id, &user.id), kind, detail, String::new(), String::new())).await;
}

fn row(
    (account_id, user_id): (&str, &str),
    kind: SecurityEventKind,
    detail: String,
    ip: String,
    user_agent: String,
) -> NewSecurityEvent {
    NewSecurityEvent {
        id: Uuid::new_v4().to_string(),
        account_id: account_id.to_string(),
        user_id: Some(user_id.to_string()),
        kind,
        detail,
        ip,
        user_agent,
        created_at: Utc::now().naive_utc(),
    }
}

async fn write(state: &AppState, row: NewSecurityEvent) {
    let kind = row.kind.as_str();
    if let Err(e) = db::run(&state.pool, move |conn| Ok(security_events::insert(conn, &row)?)).await {
        tracing::error!(error = ?e, kind, "a security event could not be recorded");
    }
}
