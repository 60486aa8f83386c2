//! The `js_libraries` table.

use crate::db::models::JsLibraryRow;
use crate::db::schema::js_libraries as libs;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<JsLibraryRow>> {
    libs::table
        .filter(libs::account_id.eq(account_id))
        .order(libs::name_normalized.asc())
        .select(JsLibraryRow::as_select())
        .load(conn)
}

/// The account's library with this id (another account's does not exist for it).
pub fn find(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<JsLibraryRow>> {
    libs::table
        .filter(libs::id.eq(id))
        .filter(libs::account_id.eq(account_id))
        .select(JsLibraryRow::as_select())
        .first(conn)
        .optional()
}

/// How many of `ids` are libraries of the account.
pub fn count_owned(conn: &mut DbConnection, account_id: &str, ids: &[String]) -> QueryResult<i64> {
    libs::table.filter(libs::account_id.eq(account_id)).filter(libs::id.eq_any(ids)).count().get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &JsLibraryRow) -> QueryResult<()> {
    diesel::insert_into(libs::table).values(row).execute(conn).map(|_| ())
}

/// Changes the account's library `id`; the row as it now is, or `None` when the account has no such library.
pub fn update(
    conn: &mut DbConnection,
    account_id: &str,
    id: &str,
    (name, name_normalized, description, code): (&str, &str, &str, &str),
    now: NaiveDateTime,
) -> QueryResult<Option<JsLibraryRow>> {
    let changed = diesel::update(libs::table.filter(libs::id.eq(id)).filter(libs::account_id.eq(account_id)))
        .set((
            libs::name.eq(name),
            libs::name_normalized.eq(name_normalized),
            libs::description.eq(description),
            libs::code.eq(code),
            libs::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    // RETURNING is not available through the connection that serves both databases.
    find(conn, account_id, id)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(libs::table.find(id)).execute(conn).map(|_| ())
}
