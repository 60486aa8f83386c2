//! The `password_tokens` table: invitation, reset and email-verification links, single use.

use crate::db::models::NewPasswordToken;
use crate::db::purposes::LinkPurpose;
use crate::db::schema::password_tokens as tokens;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a link for the user; earlier links of the same purpose stop working.
pub fn replace(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: LinkPurpose,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(tokens::table.filter(tokens::user_id.eq(user_id)).filter(tokens::purpose.eq(purpose.as_str())))
        .execute(conn)?;
    let link = NewPasswordToken {
        token_hash: token_hash.to_string().into(),
        user_id: user_id.to_string(),
        purpose,
        expires_at,
    };
    diesel::insert_into(tokens::table).values(link).execute(conn).map(|_| ())
}

/// Takes the link out if it is still good and made for one of `purposes`: the user it is for.
/// A link of another purpose stays (an email-verification link must not set a password).
pub fn take(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[LinkPurpose],
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let found: Option<(String, NaiveDateTime)> = tokens::table
        .find(token_hash)
        .filter(tokens::purpose.eq_any(purposes.iter().map(|p| p.as_str())))
        .select((tokens::user_id, tokens::expires_at))
        .first(conn)
        .optional()?;
    let Some((user_id, expires_at)) = found else { return Ok(None) };
    let taken = diesel::delete(tokens::table.find(token_hash)).execute(conn)?;
    Ok((taken == 1 && expires_at > now).then_some(user_id))
}

/// Removes links past their expiry (used ones are already gone: taking a link deletes it).
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(tokens::table.filter(tokens::expires_at.le(now))).execute(conn)
}
