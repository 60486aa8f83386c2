//! The `js_libraries` table.

use crate::db::models::{JsLibraryRow, NewJsLibrary, NewSecurityEvent};
use crate::db::schema::js_libraries as libs;
use crate::db::{security_events, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamp};

/// Binds a security-log entry's columns, in the order of `security_events`, after a query's own.
macro_rules! bind_event {
    ($query:expr, $event:expr) => {
        $query
            .bind::<Text, _>(&$event.id)
            .bind::<Text, _>(&$event.account_id)
            .bind::<Nullable<Text>, _>(&$event.user_id)
            .bind::<Text, _>($event.kind.as_str())
            .bind::<Text, _>(&$event.detail)
            .bind::<Text, _>(&$event.ip)
            .bind::<Text, _>(&$event.user_agent)
            .bind::<Timestamp, _>($event.created_at)
    };
}

/// A library's new name (and its lower-case form), description and code.
pub type Fields<'a> = (&'a str, &'a str, &'a str, &'a str);

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

/// Adds `row` with its security-log entry, both or neither. On PostgreSQL that is one statement (a
/// data-modifying CTE): one round trip and one commit, where a transaction takes four trips and each
/// trip two task switches on a small machine. SQLite runs in-process: a transaction costs nothing there.
pub fn insert_logged(conn: &mut DbConnection, row: &NewJsLibrary, event: &NewSecurityEvent) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        let query = diesel::sql_query(
            "WITH library AS (INSERT INTO js_libraries \
             (id, account_id, name, name_normalized, description, code, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)) \
             INSERT INTO security_events (id, account_id, user_id, kind, detail, ip, user_agent, created_at) \
             VALUES ($9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind::<Text, _>(&row.id)
        .bind::<Text, _>(&row.account_id)
        .bind::<Text, _>(&row.name)
        .bind::<Text, _>(&row.name_normalized)
        .bind::<Text, _>(&row.description)
        .bind::<Text, _>(&row.code)
        .bind::<Timestamp, _>(row.created_at)
        .bind::<Timestamp, _>(row.updated_at);
        return bind_event!(query, event).execute(pg).map(|_| ());
    }
    conn.transaction(|conn| {
        diesel::insert_into(libs::table).values(row).execute(conn)?;
        security_events::insert(conn, event)
    })
}

/// Changes the account's library `id` and logs `event`, both or neither, as [`insert_logged`] does;
/// the row as it now is, or `None` (and no entry) when the account has no such library.
pub fn update_logged(
    conn: &mut DbConnection,
    (account_id, id): (&str, &str),
    (name, name_normalized, description, code): Fields<'_>,
    now: NaiveDateTime,
    event: &NewSecurityEvent,
) -> QueryResult<Option<JsLibraryRow>> {
    if let DbConnection::Pg(pg) = conn {
        let query = diesel::sql_query(
            "WITH changed AS (UPDATE js_libraries \
             SET name = $3, name_normalized = $4, description = $5, code = $6, updated_at = $7 \
             WHERE id = $1 AND account_id = $2 RETURNING *), \
             logged AS (INSERT INTO security_events (id, account_id, user_id, kind, detail, ip, user_agent, created_at) \
             SELECT $8, $9, $10, $11, $12, $13, $14, $15 FROM changed) \
             SELECT * FROM changed",
        )
        .bind::<Text, _>(id)
        .bind::<Text, _>(account_id)
        .bind::<Text, _>(name)
        .bind::<Text, _>(name_normalized)
        .bind::<Text, _>(description)
        .bind::<Text, _>(code)
        .bind::<Timestamp, _>(now);
        return bind_event!(query, event).get_result(pg).optional();
    }
    conn.transaction(|conn| {
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
        security_events::insert(conn, event)?;
        find(conn, account_id, id)
    })
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(libs::table.find(id)).execute(conn).map(|_| ())
}
