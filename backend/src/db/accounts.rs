//! The `accounts` table.

use crate::db::models::{AccountRow, NewAccount, NewUser};
use crate::db::schema::{accounts, users};
use crate::db::DbConnection;
use diesel::prelude::*;

/// Creates an account together with its first user, atomically.
pub fn insert_with_first_user(conn: &mut DbConnection, account: NewAccount, user: NewUser) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::insert_into(accounts::table).values(&account).execute(conn)?;
        diesel::insert_into(users::table).values(user.clone()).execute(conn)?;
        Ok(())
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional()
}

/// Turns Stripe on or off for the account; 0 when there is no such account.
pub fn set_stripe_enabled(conn: &mut DbConnection, id: &str, enabled: bool) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id)).set(accounts::stripe_enabled.eq(enabled)).execute(conn)
}

/// The account an operator names: by id, else by its exact name when only one account has it.
pub fn find_by_id_or_name(conn: &mut DbConnection, id_or_name: &str) -> QueryResult<Vec<AccountRow>> {
    if let Some(account) = find(conn, id_or_name)? {
        return Ok(vec![account]);
    }
    accounts::table.filter(accounts::name.eq(id_or_name)).select(AccountRow::as_select()).load(conn)
}

/// Saves the company details admins edit.
pub fn update_info(conn: &mut DbConnection, id: &str, info: &shared::v1::AccountInfo) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::company_name.eq(&info.company_name),
            accounts::address.eq(&info.address),
            accounts::city.eq(&info.city),
            accounts::state.eq(&info.state),
            accounts::zip.eq(&info.zip),
            accounts::phone.eq(&info.phone),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes the account and, through the foreign keys, everything in it.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(accounts::table.find(id)).execute(conn).map(|_| ())
}
