//! The `api_credentials` table: Basic-auth credentials from `POST /api/auth`.

use crate::db::models::{AccountRow, ApiCredentialRow, NewApiCredential, UserRow};
use crate::db::schema::{accounts, api_credentials as creds, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, credential: &NewApiCredential) -> QueryResult<()> {
    diesel::insert_into(creds::table).values(credential).execute(conn).map(|_| ())
}

/// The credential with this login, used since `used_since`, with its active user.
pub fn find_live(
    conn: &mut DbConnection,
    login: &str,
    used_since: NaiveDateTime,
) -> QueryResult<Option<(ApiCredentialRow, UserRow, AccountRow)>> {
    creds::table
        .inner_join(users::table.inner_join(accounts::table))
        .filter(creds::login.eq(login))
        .filter(creds::last_used_at.gt(used_since))
        .filter(users::is_active.eq(true))
        .select((ApiCredentialRow::as_select(), UserRow::as_select(), AccountRow::as_select()))
        .first(conn)
        .optional()
}

/// The user's credentials still alive, newest first.
pub fn list_live(
    conn: &mut DbConnection,
    user_id: &str,
    used_since: NaiveDateTime,
) -> QueryResult<Vec<ApiCredentialRow>> {
    creds::table
        .filter(creds::user_id.eq(user_id))
        .filter(creds::last_used_at.gt(used_since))
        .order(creds::created_at.desc())
        .select(ApiCredentialRow::as_select())
        .load(conn)
}

pub fn record_use(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(creds::table.find(id)).set(creds::last_used_at.eq(now)).execute(conn).map(|_| ())
}

/// Revokes one of the user's credentials; 0 when the user has none with that id.
pub fn delete(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(creds::table.filter(creds::id.eq(id)).filter(creds::user_id.eq(user_id))).execute(conn)
}

pub fn delete_all_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(creds::table.filter(creds::user_id.eq(user_id))).execute(conn)
}
