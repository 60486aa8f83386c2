//! The `rate_limit_counters` table: fixed-window counters every instance shares.

use crate::db::schema::rate_limit_counters as c;
use crate::db::{is_unique_violation, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Counts one hit for `key` and returns the window's hits so far and its start.
/// The increment is one UPDATE, so concurrent instances cannot lose counts; a new
/// window is an INSERT, and the loser of a race to insert retries as an update.
pub fn hit(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window_since: NaiveDateTime,
) -> QueryResult<(i32, NaiveDateTime)> {
    for _ in 0..3 {
        let counted = conn.transaction(|conn| {
            let updated = diesel::update(c::table.find(key).filter(c::window_start.gt(window_since)))
                .set(c::hits.eq(c::hits + 1))
                .execute(conn)?;
            if updated == 0 {
                // Only an ended window goes: a fresh one another instance just made must stay.
                diesel::delete(c::table.find(key).filter(c::window_start.le(window_since))).execute(conn)?;
                diesel::insert_into(c::table)
                    .values((c::key.eq(key), c::window_start.eq(now), c::hits.eq(1)))
                    .execute(conn)?;
            }
            c::table.find(key).select((c::hits, c::window_start)).first(conn)
        });
        match counted {
            Err(e) if is_unique_violation(&e) => continue,
            other => return other,
        }
    }
    c::table.find(key).select((c::hits, c::window_start)).first(conn)
}

/// Removes counters whose window began at or before `ended_since` (their window is over).
pub fn delete_ended(conn: &mut DbConnection, ended_since: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(c::table.filter(c::window_start.le(ended_since))).execute(conn)
}
