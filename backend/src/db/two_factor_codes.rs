//! The `two_factor_codes` table: codes sent and not yet entered.

use crate::db::models::TwoFactorCodeRow;
use crate::db::schema::two_factor_codes as codes;
use crate::db::DbConnection;
use diesel::prelude::*;

/// Stores a code, replacing any earlier one with the same id.
pub fn replace(conn: &mut DbConnection, row: &TwoFactorCodeRow) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(codes::table.find(&row.id)).execute(conn)?;
        diesel::insert_into(codes::table).values(row).execute(conn).map(|_| ())
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<TwoFactorCodeRow>> {
    codes::table.find(id).select(TwoFactorCodeRow::as_select()).first(conn).optional()
}

pub fn count_attempt(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(codes::table.find(id)).set(codes::attempts.eq(codes::attempts + 1)).execute(conn).map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(codes::table.find(id)).execute(conn).map(|_| ())
}

/// Forgets pending activations of the user (on deactivation).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(codes::table.filter(codes::user_id.eq(user_id))).execute(conn).map(|_| ())
}
