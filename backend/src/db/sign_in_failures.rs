//! The `sign_in_failures` table: failed sign-ins counted per email and per address
//! in fixed windows. Kept in the database so every instance sees the same counts.

use crate::db::schema::sign_in_failures as f;
use crate::db::{is_unique_violation, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// How many times a race with another attempt may send [`take`] round again.
const RACES_ALLOWED: usize = 5;

/// What one try of [`take`] found.
enum Try {
    Counted,
    Full(NaiveDateTime),
    /// Another attempt opened the window between this one's statements: try again.
    Raced,
}

/// Counts one attempt for `key` unless `limit` are already counted in its current window;
/// then returns that window's start. The transaction writes first (SQLite takes its write
/// lock at once, PostgreSQL re-checks the row after a concurrent update), so concurrent
/// attempts cannot both take the last place. PostgreSQL reads committed rows afresh per
/// statement, so a window another attempt opened may appear after this one's update missed
/// it: that is a race to retry, not a full window.
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
                return Ok(Try::Counted);
            }
            let found: Option<(NaiveDateTime, i32)> =
                f::table.find(key).select((f::window_start, f::failures)).first(conn).optional()?;
            match found {
                Some((start, failures)) if start > window_since && failures >= limit => return Ok(Try::Full(start)),
                Some((start, _)) if start > window_since => return Ok(Try::Raced),
                _ => {}
            }
            // Only an ended window goes: one another attempt has just opened must stay.
            diesel::delete(f::table.find(key).filter(f::window_start.le(window_since))).execute(conn)?;
            diesel::insert_into(f::table)
                .values((f::key.eq(key), f::window_start.eq(now), f::failures.eq(1)))
                .execute(conn)?;
            Ok(Try::Counted)
        })
    };
    for _ in 0..RACES_ALLOWED {
        match attempt(conn) {
            Ok(Try::Counted) => return Ok(None),
            Ok(Try::Full(start)) => return Ok(Some(start)),
            Ok(Try::Raced) => continue,
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    // Still racing after several tries: refuse this attempt rather than let it go uncounted,
    // with a window that ends in a second, so the caller is told to try again at once.
    Ok(Some(window_since + chrono::Duration::seconds(1)))
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

/// Removes counters whose window began at or before `ended_since` (their window is over).
pub fn delete_ended(conn: &mut DbConnection, ended_since: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(f::table.filter(f::window_start.le(ended_since))).execute(conn)
}
