//! The `two_factor_codes` table: codes sent and not yet entered.

use crate::db::models::{NewTwoFactorCode, TwoFactorCodeRow};
use crate::db::purposes::CodePurpose;
use crate::db::schema::two_factor_codes as codes;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a code as the user's one live code for its purpose: earlier ones (another sign-in's
/// challenge, say) are void from now on.
pub fn replace(conn: &mut DbConnection, row: &NewTwoFactorCode) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(
            codes::table.filter(codes::user_id.eq(&row.user_id)).filter(codes::purpose.eq(row.purpose.as_str())),
        )
        .execute(conn)?;
        diesel::delete(codes::table.find(&row.id)).execute(conn)?;
        diesel::insert_into(codes::table).values(row.clone()).execute(conn).map(|_| ())
    })
}

/// The user's live code for `purpose`, if one is waiting (the resend limit reads it).
pub fn live_for(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: CodePurpose,
    now: NaiveDateTime,
) -> QueryResult<Option<TwoFactorCodeRow>> {
    codes::table
        .filter(codes::user_id.eq(user_id))
        .filter(codes::purpose.eq(purpose.as_str()))
        .filter(codes::expires_at.gt(now))
        .order(codes::sent_at.desc())
        .select(TwoFactorCodeRow::as_select())
        .first(conn)
        .optional()
}

/// Counts one attempt on the code and returns it, or `None` when it has expired or has no
/// attempts left. Checking and counting are one statement, so concurrent guesses cannot all
/// pass a check before any of them is counted.
pub fn take_attempt(
    conn: &mut DbConnection,
    id: &str,
    max_attempts: i32,
    now: NaiveDateTime,
) -> QueryResult<Option<TwoFactorCodeRow>> {
    let taken = diesel::update(
        codes::table.find(id).filter(codes::attempts.lt(max_attempts)).filter(codes::expires_at.gt(now)),
    )
    .set(codes::attempts.eq(codes::attempts + 1))
    .execute(conn)?;
    match taken {
        0 => Ok(None),
        _ => find(conn, id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<TwoFactorCodeRow>> {
    codes::table.find(id).select(TwoFactorCodeRow::as_select()).first(conn).optional()
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(codes::table.find(id)).execute(conn).map(|_| ())
}

/// Deletes the challenge `id`; true only for the one caller whose statement removed it.
pub fn delete_taken(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(codes::table.find(id)).execute(conn).map(|n| n == 1)
}

/// Forgets pending activations of the user (on deactivation).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(codes::table.filter(codes::user_id.eq(user_id))).execute(conn).map(|_| ())
}

/// Removes challenges and codes past their expiry.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(codes::table.filter(codes::expires_at.le(now))).execute(conn)
}
