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

pub fn find_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<DeveloperKeyRow>> {
    keys::table.find(user_id).select(DeveloperKeyRow::as_select()).first(conn).optional()
}

/// The active user whose key has one of these lookup hashes.
pub fn find_user(
    conn: &mut DbConnection,
    lookup_hashes: &[String],
) -> QueryResult<Option<(DeveloperKeyRow, UserRow, AccountRow)>> {
    keys::table
        .inner_join(users::table.inner_join(accounts::table))
        .filter(keys::lookup_hash.eq_any(lookup_hashes))
        .filter(users::is_active.eq(1))
        .select((DeveloperKeyRow::as_select(), UserRow::as_select(), AccountRow::as_select()))
        .first(conn)
        .optional()
}

pub fn record_use(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime, ip: &str) -> QueryResult<()> {
    diesel::update(keys::table.find(user_id))
        .set((keys::last_used_at.eq(now), keys::last_used_ip.eq(ip)))
        .execute(conn)
        .map(|_| ())
}
