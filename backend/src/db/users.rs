//! The `users` table.

use crate::db::models::{AccountRow, NewUser, UserRow};
use crate::db::schema::{accounts, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, user: &NewUser) -> QueryResult<()> {
    diesel::insert_into(users::table).values(user.clone()).execute(conn).map(|_| ())
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

/// The account's users with whether each has two-factor authentication on, by name.
pub fn in_account(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(UserRow, bool)>> {
    use crate::db::schema::two_factor;
    let rows: Vec<(UserRow, Option<String>)> = users::table
        .left_join(two_factor::table)
        .filter(users::account_id.eq(account_id))
        .order(users::name.asc())
        .select((UserRow::as_select(), two_factor::user_id.nullable()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(user, two_factor)| (user, two_factor.is_some())).collect())
}

pub fn find_in_account(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::id.eq(id))
        .filter(users::account_id.eq(account_id))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Active admins of the account: the last one may not be demoted, deactivated or deleted.
pub fn active_admins(conn: &mut DbConnection, account_id: &str) -> QueryResult<i64> {
    users::table
        .filter(users::account_id.eq(account_id))
        .filter(users::role.eq("admin"))
        .filter(users::is_active.eq(true))
        .count()
        .get_result(conn)
}

/// Saves what an admin may change of a user.
pub fn save_admin_fields(conn: &mut DbConnection, user: &UserRow) -> QueryResult<()> {
    diesel::update(users::table.find(&user.id))
        .set((
            users::name.eq(&user.name),
            users::email.eq(&user.email),
            users::email_normalized.eq(&user.email_normalized),
            users::role.eq(user.role.as_str()),
            users::can_create.eq(user.can_create),
            users::can_share.eq(user.can_share),
            users::is_active.eq(user.is_active),
            users::updated_at.eq(user.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_sign_in(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::last_sign_in_at.eq(now)).execute(conn).map(|_| ())
}

pub fn delete(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(users::table.find(user_id)).execute(conn).map(|_| ())
}

/// Records that the user showed they receive mail at their address, which becomes theirs for
/// look-ups (`email_normalized`: a sign-up that found the address in use held a placeholder).
pub fn mark_verified(
    conn: &mut DbConnection,
    user_id: &str,
    email_normalized: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email_verified.eq(true), users::email_normalized.eq(email_normalized), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// A changed address is unproven until its link is used.
pub fn mark_unverified(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::email_verified.eq(false)).execute(conn).map(|_| ())
}

/// Frees the user's address for someone else: look-ups by it no longer find them.
pub fn release_email(conn: &mut DbConnection, user_id: &str, placeholder: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email_normalized.eq(placeholder), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn count_in_account(conn: &mut DbConnection, account_id: &str) -> QueryResult<i64> {
    users::table.filter(users::account_id.eq(account_id)).count().get_result(conn)
}
