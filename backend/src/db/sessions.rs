//! The `sessions` table: server-side sessions, keyed by the hash of their token.

use crate::db::models::{AccountRow, NewSession, SessionRow, UserRow};
use crate::db::schema::{accounts, sessions, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, session: &NewSession) -> QueryResult<()> {
    diesel::insert_into(sessions::table).values(session.clone()).execute(conn).map(|_| ())
}

/// The session with its active user and account, unless it has expired.
pub fn find_active(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    idle_since: NaiveDateTime,
) -> QueryResult<Option<(SessionRow, UserRow, AccountRow)>> {
    sessions::table
        .inner_join(users::table.inner_join(accounts::table))
        .filter(sessions::id.eq(id))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(idle_since))
        .filter(users::is_active.eq(true))
        .select((SessionRow::as_select(), UserRow::as_select(), AccountRow::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id)).set(sessions::last_seen_at.eq(now)).execute(conn).map(|_| ())
}

pub fn mark_password_checked(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id)).set(sessions::password_checked_at.eq(now)).execute(conn).map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(id)).execute(conn).map(|_| ())
}

/// Ends every session of the user but `keep`.
pub fn delete_others(conn: &mut DbConnection, user_id: &str, keep: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::id.ne(keep))).execute(conn)
}

/// Removes sessions past either expiry.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime, idle_since: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now).or(sessions::last_seen_at.le(idle_since))))
        .execute(conn)
}

/// Ends every session of the user (deactivation, a password set from a link).
pub fn delete_all_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// The user's sessions that have not expired, most recently active first.
pub fn list_active_for_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
    idle_since: NaiveDateTime,
) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(idle_since))
        .order((sessions::last_seen_at.desc(), sessions::created_at.desc()))
        .select(SessionRow::as_select())
        .load(conn)
}
