//! The `developer_keys` table: one key per user.

use crate::db::models::{AccountRow, DeveloperKeyRow, NewDeveloperKey, UserRow};
use crate::db::schema::{accounts, developer_keys as keys, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores the user's key, replacing (and so invalidating) any previous one.
pub fn replace(conn: &mut DbConnection, key: &NewDeveloperKey) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(keys::table.find(&key.user_id)).execute(conn)?;
        diesel::insert_into(keys::table).values(key).execute(conn)?;
        Ok(())
    })
}

/// Revokes the user's key (a password reset: whoever had the password may have had the key).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(keys::table.find(user_id)).execute(conn)
}

pub fn find_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<DeveloperKeyRow>> {
    keys::table.find(user_id).select(DeveloperKeyRow::as_select()).first(conn).optional()
}

/// The active user whose key has one of these lookup hashes.
/// The active user whose key has one of `lookup_hashes` (one per secret key in use, newest
/// first). One query per candidate rather than `IN (...)`: a fixed statement is prepared once
/// per connection and reused, and the first candidate almost always matches.
pub fn find_user(
    conn: &mut DbConnection,
    lookup_hashes: &[String],
) -> QueryResult<Option<(DeveloperKeyRow, UserRow, AccountRow)>> {
    for hash in lookup_hashes {
        let found = keys::table
            .inner_join(users::table.inner_join(accounts::table))
            .filter(keys::lookup_hash.eq(hash))
            .filter(users::is_active.eq(true))
            .select((DeveloperKeyRow::as_select(), UserRow::as_select(), AccountRow::as_select()))
            .first(conn)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

pub fn record_use(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime, ip: &str) -> QueryResult<()> {
    diesel::update(keys::table.find(user_id))
        .set((keys::last_used_at.eq(now), keys::last_used_ip.eq(ip)))
        .execute(conn)
        .map(|_| ())
}
