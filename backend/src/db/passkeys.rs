//! The `passkeys` table: each user's WebAuthn credentials.

use crate::db::models::{NewPasskey, PasskeyRow};
use crate::db::schema::passkeys;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, row: &NewPasskey) -> QueryResult<()> {
    diesel::insert_into(passkeys::table).values(row).execute(conn).map(|_| ())
}

/// The user's passkeys, oldest first.
pub fn for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<PasskeyRow>> {
    passkeys::table
        .filter(passkeys::user_id.eq(user_id))
        .order((passkeys::created_at.asc(), passkeys::id.asc()))
        .select(PasskeyRow::as_select())
        .load(conn)
}

pub fn count_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    passkeys::table.filter(passkeys::user_id.eq(user_id)).count().get_result(conn)
}

pub fn find_by_credential_id(conn: &mut DbConnection, credential_id: &str) -> QueryResult<Option<PasskeyRow>> {
    passkeys::table
        .filter(passkeys::credential_id.eq(credential_id))
        .select(PasskeyRow::as_select())
        .first(conn)
        .optional()
}

/// Stores the credential after a use (its counter moved) and when it was used.
pub fn record_use(conn: &mut DbConnection, id: &str, credential: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(passkeys::table.find(id))
        .set((passkeys::credential.eq(credential), passkeys::last_used_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Renames the user's passkey `id`; false when the user has no such passkey.
pub fn rename(conn: &mut DbConnection, user_id: &str, id: &str, name: &str) -> QueryResult<bool> {
    diesel::update(passkeys::table.filter(passkeys::id.eq(id)).filter(passkeys::user_id.eq(user_id)))
        .set(passkeys::name.eq(name))
        .execute(conn)
        .map(|n| n == 1)
}

/// Deletes the user's passkey `id`; false when the user has no such passkey.
pub fn delete(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<bool> {
    diesel::delete(passkeys::table.filter(passkeys::id.eq(id)).filter(passkeys::user_id.eq(user_id)))
        .execute(conn)
        .map(|n| n == 1)
}
