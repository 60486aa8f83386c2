//! The `accounts` table.

use crate::db::models::{AccountRow, NewAccount, NewUser};
use crate::db::schema::{accounts, users};
use crate::db::DbConnection;
use diesel::prelude::*;

/// Creates an account together with its first user, atomically.
pub fn insert_with_first_user(conn: &mut DbConnection, account: NewAccount, user: NewUser) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::insert_into(accounts::table).values(&account).execute(conn)?;
        diesel::insert_into(users::table).values(&user).execute(conn)?;
        Ok(())
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional()
}
