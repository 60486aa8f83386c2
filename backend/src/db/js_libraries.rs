//! The `js_libraries` table.

use crate::db::models::{JsLibraryRow, NewJsLibrary, NewSecurityEvent};
use crate::db::schema::js_libraries as libs;
use crate::db::{security_events, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamp};

/// Binds the columns of security-log entries as arrays, one element per entry, in the order of
/// `security_events`, after a query's own: `unnest` of them gives the rows to insert.
macro_rules! bind_events {
    ($query:expr, $events:expr) => {{
        let events: &[NewSecurityEvent] = $events;
        let column = |field: fn(&NewSecurityEvent) -> &str| events.iter().map(field).collect::<Vec<_>>();
        $query
            .bind::<Array<Text>, _>(column(|e| &e.id))
            .bind::<Array<Text>, _>(column(|e| &e.account_id))
            .bind::<Array<Nullable<Text>>, _>(events.iter().map(|e| e.user_id.as_deref()).collect::<Vec<_>>())
            .bind::<Array<Text>, _>(column(|e| e.kind.as_str()))
            .bind::<Array<Text>, _>(column(|e| &e.detail))
            .bind::<Array<Text>, _>(column(|e| &e.ip))
            .bind::<Array<Text>, _>(column(|e| &e.user_agent))
            .bind::<Array<Timestamp>, _>(events.iter().map(|e| e.created_at).collect::<Vec<_>>())
    }};
}

/// The columns `bind_events!` binds, as rows to insert.
const EVENT_COLUMNS: &str = "security_events (id, account_id, user_id, kind, detail, ip, user_agent, created_at)";

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

/// Adds `rows` with their security-log entries, all or nothing. On PostgreSQL that is one statement
/// (a data-modifying CTE): one round trip and one commit, where a transaction takes four trips and
/// each trip two task switches on a small machine. SQLite runs in-process: a transaction costs
/// nothing there.
pub fn insert_logged(conn: &mut DbConnection, rows: &[NewJsLibrary], events: &[NewSecurityEvent]) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        // Rows in name order: two instances adding overlapping names then lock the unique index in the
        // same order, and one waits for the other instead of both deadlocking.
        let mut sorted: Vec<&NewJsLibrary> = rows.iter().collect();
        sorted.sort_by(|a, b| a.name_normalized.cmp(&b.name_normalized));
        let column = |field: fn(&NewJsLibrary) -> &str| sorted.iter().map(|row| field(row)).collect::<Vec<_>>();
        let time = |field: fn(&NewJsLibrary) -> NaiveDateTime| sorted.iter().map(|row| field(row)).collect::<Vec<_>>();
        let query = diesel::sql_query(format!(
            "WITH libraries AS (INSERT INTO js_libraries \
             (id, account_id, name, name_normalized, description, code, created_at, updated_at) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::timestamp[], $8::timestamp[])) \
             INSERT INTO {EVENT_COLUMNS} SELECT * FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], \
             $13::text[], $14::text[], $15::text[], $16::timestamp[])"
        ))
        .bind::<Array<Text>, _>(column(|r| &r.id))
        .bind::<Array<Text>, _>(column(|r| &r.account_id))
        .bind::<Array<Text>, _>(column(|r| &r.name))
        .bind::<Array<Text>, _>(column(|r| &r.name_normalized))
        .bind::<Array<Text>, _>(column(|r| &r.description))
        .bind::<Array<Text>, _>(column(|r| &r.code))
        .bind::<Array<Timestamp>, _>(time(|r| r.created_at))
        .bind::<Array<Timestamp>, _>(time(|r| r.updated_at));
        return bind_events!(query, events).execute(pg).map(|_| ());
    }
    conn.transaction(|conn| {
        for row in rows {
            diesel::insert_into(libs::table).values(row).execute(conn)?;
        }
        events.iter().try_for_each(|event| security_events::insert(conn, event))
    })
}

/// Changes the account's library `id` and logs `events` (one per change it stands for), all or
/// nothing, in one statement on PostgreSQL as [`insert_logged`] does; the row as it now is, or `None`
/// (and no entry) when the account has no such library.
pub fn update_logged(
    conn: &mut DbConnection,
    (account_id, id): (&str, &str),
    (name, name_normalized, description, code): Fields<'_>,
    now: NaiveDateTime,
    events: &[NewSecurityEvent],
) -> QueryResult<Option<JsLibraryRow>> {
    if let DbConnection::Pg(pg) = conn {
        let query = diesel::sql_query(format!(
            "WITH changed AS (UPDATE js_libraries \
             SET name = $3, name_normalized = $4, description = $5, code = $6, updated_at = $7 \
             WHERE id = $1 AND account_id = $2 RETURNING *), \
             logged AS (INSERT INTO {EVENT_COLUMNS} SELECT e.* FROM changed, unnest($8::text[], $9::text[], \
             $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamp[]) AS e) \
             SELECT * FROM changed"
        ))
        .bind::<Text, _>(id)
        .bind::<Text, _>(account_id)
        .bind::<Text, _>(name)
        .bind::<Text, _>(name_normalized)
        .bind::<Text, _>(description)
        .bind::<Text, _>(code)
        .bind::<Timestamp, _>(now);
        return bind_events!(query, events).get_result(pg).optional();
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
        events.iter().try_for_each(|event| security_events::insert(conn, event))?;
        find(conn, account_id, id)
    })
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(libs::table.find(id)).execute(conn).map(|_| ())
}
