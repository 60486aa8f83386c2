//! The `sign_in_failures` table: failed sign-ins counted per email and per address
//! in fixed windows. Kept in the database so every instance sees the same counts.

use crate::db::schema::sign_in_failures as f;
use crate::db::{is_unique_violation, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Counts one attempt for `key` unless `limit` are already counted in its current window;
/// then returns that window's start. The transaction writes first (SQLite takes its write
/// lock at once, PostgreSQL re-checks the row after a concurrent update), so concurrent
/// attempts cannot both take the last place; the loser of a race to open a window retries.
pub fn take(
    conn: &mut DbConnection,
    key: &str,
    limit: i32,
    now: NaiveDateTime,
    window_since: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let attempt = |conn: &mut DbConnection| {
        conn.transaction(|conn| {
            let counted = diesel::update(
                f::table.find(key).filter(f::window_start.gt(window_since)).filter(f::failures.lt(limit)),
            )
            .set(f::failures.eq(f::failures + 1))
            .execute(conn)?;
            if counted == 1 {
                return Ok(None);
            }
            let start: Option<NaiveDateTime> = f::table.find(key).select(f::window_start).first(conn).optional()?;
            if let Some(start) = start.filter(|start| *start > window_since) {
                return Ok(Some(start));
            }
            // Only an ended window goes: one another attempt has just opened must stay (PostgreSQL
            // reads committed rows afresh per statement, so it may have appeared since the select).
            diesel::delete(f::table.find(key).filter(f::window_start.le(window_since))).execute(conn)?;
            diesel::insert_into(f::table)
                .values((f::key.eq(key), f::window_start.eq(now), f::failures.eq(1)))
                .execute(conn)?;
            Ok(None)
        })
    };
    for _ in 0..2 {
        match attempt(conn) {
            Err(e) if is_unique_violation(&e) => continue,
            other => return other,
        }
    }
    attempt(conn)
}

/// Uncounts one attempt (a right password after [`take`]).
pub fn give_back(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::update(f::table.find(key).filter(f::failures.gt(0)))
        .set(f::failures.eq(f::failures - 1))
        .execute(conn)
        .map(|_| ())
}

pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(f::table.find(key)).execute(conn).map(|_| ())
}
