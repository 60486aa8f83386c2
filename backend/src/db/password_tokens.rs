//! The `password_tokens` table: invitation and reset links, single use.

use crate::db::schema::password_tokens as tokens;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a link for the user; earlier links of the same purpose stop working.
pub fn replace(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(tokens::table.filter(tokens::user_id.eq(user_id)).filter(tokens::purpose.eq(purpose)))
        .execute(conn)?;
    diesel::insert_into(tokens::table)
        .values((
            tokens::token_hash.eq(token_hash),
            tokens::user_id.eq(user_id),
            tokens::purpose.eq(purpose),
            tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Takes the link out if it is still good: the user it is for.
pub fn take(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    let found: Option<(String, NaiveDateTime)> =
        tokens::table.find(token_hash).select((tokens::user_id, tokens::expires_at)).first(conn).optional()?;
    let Some((user_id, expires_at)) = found else { return Ok(None) };
    let taken = diesel::delete(tokens::table.find(token_hash)).execute(conn)?;
    Ok((taken == 1 && expires_at > now).then_some(user_id))
}
