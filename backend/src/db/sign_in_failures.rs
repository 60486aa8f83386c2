//! The `sign_in_failures` table: failed sign-ins counted per email and per address
//! in fixed windows. Kept in the database so every instance sees the same counts.

use crate::db::schema::sign_in_failures as f;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Failures for `key` in the window that started after `window_since`, with that window's start.
pub fn current(
    conn: &mut DbConnection,
    key: &str,
    window_since: NaiveDateTime,
) -> QueryResult<Option<(i32, NaiveDateTime)>> {
    f::table
        .find(key)
        .filter(f::window_start.gt(window_since))
        .select((f::failures, f::window_start))
        .first(conn)
        .optional()
}

/// Counts one failure, opening a new window when the old one has ended.
pub fn record(conn: &mut DbConnection, key: &str, now: NaiveDateTime, window_since: NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|conn| {
        let existing: Option<NaiveDateTime> = f::table.find(key).select(f::window_start).first(conn).optional()?;
        match existing {
            Some(start) if start > window_since => {
                diesel::update(f::table.find(key)).set(f::failures.eq(f::failures + 1)).execute(conn)?;
            }
            Some(_) => {
                diesel::update(f::table.find(key)).set((f::failures.eq(1), f::window_start.eq(now))).execute(conn)?;
            }
            None => {
                diesel::insert_into(f::table)
                    .values((f::key.eq(key), f::window_start.eq(now), f::failures.eq(1)))
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}

pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(f::table.find(key)).execute(conn).map(|_| ())
}
