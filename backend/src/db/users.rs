//! The `users` table.

use crate::db::models::{AccountRow, NewUser, UserRow};
use crate::db::schema::{accounts, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, user: &NewUser) -> QueryResult<()> {
    diesel::insert_into(users::table).values(user).execute(conn).map(|_| ())
}

pub fn find_by_email(conn: &mut DbConnection, email_normalized: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email_normalized.eq(email_normalized))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_with_account(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<(UserRow, AccountRow)>> {
    users::table
        .inner_join(accounts::table)
        .filter(users::id.eq(user_id))
        .select((UserRow::as_select(), AccountRow::as_select()))
        .first(conn)
        .optional()
}

pub fn update_name(conn: &mut DbConnection, user_id: &str, name: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::name.eq(name), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn update_email(
    conn: &mut DbConnection,
    user_id: &str,
    email: &str,
    email_normalized: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email.eq(email), users::email_normalized.eq(email_normalized), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn update_password_hash(conn: &mut DbConnection, user_id: &str, hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}
