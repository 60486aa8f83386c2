//! The `oauth_states` table: authorizations under way, each usable once.

use crate::db::models::{NewOAuthState, OAuthStateRow};
use crate::db::schema::oauth_states as states;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a new state, clearing the expired ones on the way.
pub fn insert(conn: &mut DbConnection, row: &NewOAuthState, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(states::table.filter(states::expires_at.lt(now))).execute(conn)?;
    diesel::insert_into(states::table).values(row.clone()).execute(conn).map(|_| ())
}

/// Takes the state out: whoever deletes the row first is the one use it has.
pub fn take(conn: &mut DbConnection, state_hash: &str) -> QueryResult<Option<OAuthStateRow>> {
    let Some(row) = states::table.find(state_hash).select(OAuthStateRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    match diesel::delete(states::table.find(state_hash)).execute(conn)? {
        0 => Ok(None),
        _ => Ok(Some(row)),
    }
}

/// Removes authorizations that were never finished.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(states::table.filter(states::expires_at.lt(now))).execute(conn)
}
