//! The `two_factor` and `recovery_codes` tables: the method in force and the one-time access codes.

use crate::db::models::{NewRecoveryCode, NewTwoFactor, TwoFactorRow};
use crate::db::schema::{recovery_codes as codes, two_factor};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn find(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<TwoFactorRow>> {
    two_factor::table.find(user_id).select(TwoFactorRow::as_select()).first(conn).optional()
}

/// Puts `row` in force with a fresh set of recovery codes (hashes), voiding the old set.
pub fn enable(conn: &mut DbConnection, row: &NewTwoFactor, code_hashes: &[String]) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(two_factor::table.find(&row.user_id)).execute(conn)?;
        diesel::insert_into(two_factor::table).values(row.clone()).execute(conn)?;
        replace_recovery_codes(conn, &row.user_id, code_hashes)
    })
}

/// Accepts an authenticator-app code of time step `step` unless one of that step or later was
/// accepted before (a replay); one statement, so two requests with the same code cannot both pass.
pub fn accept_totp_step(conn: &mut DbConnection, user_id: &str, step: i64) -> QueryResult<bool> {
    let accepted = diesel::update(
        two_factor::table
            .find(user_id)
            .filter(two_factor::last_totp_step.is_null().or(two_factor::last_totp_step.lt(step))),
    )
    .set(two_factor::last_totp_step.eq(step))
    .execute(conn)?;
    Ok(accepted == 1)
}

/// Turns 2FA off and forgets the contact details and codes.
pub fn disable(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(two_factor::table.find(user_id)).execute(conn)?;
        diesel::delete(codes::table.filter(codes::user_id.eq(user_id))).execute(conn)?;
        Ok(())
    })
}

pub fn replace_recovery_codes(conn: &mut DbConnection, user_id: &str, code_hashes: &[String]) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(codes::table.filter(codes::user_id.eq(user_id))).execute(conn)?;
        // One row at a time: batch inserts do not work across both backends of MultiConnection.
        for hash in code_hashes {
            let code = NewRecoveryCode {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user_id.to_string(),
                code_hash: hash.clone().into(),
            };
            diesel::insert_into(codes::table).values(code).execute(conn)?;
        }
        Ok(())
    })
}

pub fn remaining_recovery_codes(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    codes::table.filter(codes::user_id.eq(user_id)).filter(codes::used_at.is_null()).count().get_result(conn)
}

/// The user's unused access codes: `(id, code_hash)`. Salted hashes cannot be looked up, only compared.
pub fn unused_recovery_codes(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<(String, String)>> {
    codes::table
        .filter(codes::user_id.eq(user_id))
        .filter(codes::used_at.is_null())
        .select((codes::id, codes::code_hash))
        .load(conn)
}

/// Marks the code used unless it already was (by a concurrent request); false then.
pub fn use_recovery_code(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(codes::table.filter(codes::id.eq(id)).filter(codes::used_at.is_null()))
        .set(codes::used_at.eq(now))
        .execute(conn)?;
    Ok(updated > 0)
}
