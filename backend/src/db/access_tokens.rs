//! The `access_tokens` and `token_policies` tables.

use crate::db::models::{AccessTokenRow, AccountRow, NewAccessToken, NewTokenPolicy, TokenPolicyRow, UserRow};
use crate::db::schema::{access_tokens as tokens, accounts, token_policies as policies, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, token: &NewAccessToken) -> QueryResult<()> {
    diesel::insert_into(tokens::table).values(token.clone()).execute(conn).map(|_| ())
}

pub fn count_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    tokens::table.filter(tokens::user_id.eq(user_id)).count().get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AccessTokenRow>> {
    tokens::table.find(id).select(AccessTokenRow::as_select()).first(conn).optional()
}

/// The user's tokens with their email, newest first.
pub fn list_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<(AccessTokenRow, String)>> {
    tokens::table
        .inner_join(users::table)
        .filter(tokens::user_id.eq(user_id))
        .order(tokens::created_at.desc())
        .select((AccessTokenRow::as_select(), users::email))
        .load(conn)
}

/// Every token of the account's users, with their owner's email, newest first.
pub fn list_for_account(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(AccessTokenRow, String)>> {
    tokens::table
        .inner_join(users::table)
        .filter(users::account_id.eq(account_id))
        .order(tokens::created_at.desc())
        .select((AccessTokenRow::as_select(), users::email))
        .load(conn)
}

/// The token with one of `lookup_hashes` (current secret key first), with its active owner.
/// One fixed statement per candidate, as for developer keys, so it is prepared once per connection.
pub fn find_caller(
    conn: &mut DbConnection,
    lookup_hashes: &[String],
) -> QueryResult<Option<(AccessTokenRow, UserRow, AccountRow)>> {
    for hash in lookup_hashes {
        let found = tokens::table
            .inner_join(users::table.inner_join(accounts::table))
            .filter(tokens::lookup_hash.eq(hash))
            .filter(users::is_active.eq(true))
            .select((AccessTokenRow::as_select(), UserRow::as_select(), AccountRow::as_select()))
            .first(conn)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Deletes the token if `user_id` owns it; the deleted row, if any.
pub fn delete_of_user(conn: &mut DbConnection, id: &str, user_id: &str) -> QueryResult<Option<AccessTokenRow>> {
    let found = tokens::table
        .filter(tokens::id.eq(id))
        .filter(tokens::user_id.eq(user_id))
        .select(AccessTokenRow::as_select())
        .first(conn)
        .optional()?;
    if found.is_some() {
        diesel::delete(tokens::table.find(id)).execute(conn)?;
    }
    Ok(found)
}

/// Deletes the token if its owner is in `account_id`; the deleted row with its owner's email.
pub fn delete_in_account(
    conn: &mut DbConnection,
    id: &str,
    account_id: &str,
) -> QueryResult<Option<(AccessTokenRow, String)>> {
    let found = tokens::table
        .inner_join(users::table)
        .filter(tokens::id.eq(id))
        .filter(users::account_id.eq(account_id))
        .select((AccessTokenRow::as_select(), users::email))
        .first(conn)
        .optional()?;
    if found.is_some() {
        diesel::delete(tokens::table.find(id)).execute(conn)?;
    }
    Ok(found)
}

/// Revokes every token of the user (deactivation); the names of those revoked.
pub fn delete_all_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<String>> {
    let names = tokens::table.filter(tokens::user_id.eq(user_id)).select(tokens::name).load(conn)?;
    diesel::delete(tokens::table.filter(tokens::user_id.eq(user_id))).execute(conn)?;
    Ok(names)
}

pub fn record_use(conn: &mut DbConnection, id: &str, now: NaiveDateTime, ip: &str, seen_ips: &str) -> QueryResult<()> {
    diesel::update(tokens::table.find(id))
        .set((tokens::last_used_at.eq(now), tokens::last_used_ip.eq(ip), tokens::seen_ips.eq(seen_ips)))
        .execute(conn)
        .map(|_| ())
}

/// Live tokens expiring by `by` whose owner has not been told yet, with the owner.
pub fn due_for_notice(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: NaiveDateTime,
) -> QueryResult<Vec<(AccessTokenRow, UserRow)>> {
    tokens::table
        .inner_join(users::table)
        .filter(tokens::expires_at.gt(now))
        .filter(tokens::expires_at.le(by))
        .filter(tokens::expiry_notice_sent.eq(false))
        .filter(users::is_active.eq(true))
        .select((AccessTokenRow::as_select(), UserRow::as_select()))
        .load(conn)
}

pub fn mark_notice_sent(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(tokens::table.find(id)).set(tokens::expiry_notice_sent.eq(true)).execute(conn).map(|_| ())
}

/// Tokens expired by `now` whose expiry is not in the security log yet, with the owner.
pub fn expired_unrecorded(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<(AccessTokenRow, UserRow)>> {
    tokens::table
        .inner_join(users::table)
        .filter(tokens::expires_at.le(now))
        .filter(tokens::expiry_recorded.eq(false))
        .select((AccessTokenRow::as_select(), UserRow::as_select()))
        .load(conn)
}

pub fn mark_expiry_recorded(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(tokens::table.find(id)).set(tokens::expiry_recorded.eq(true)).execute(conn).map(|_| ())
}

pub fn policy(conn: &mut DbConnection, account_id: &str) -> QueryResult<Option<TokenPolicyRow>> {
    policies::table.find(account_id).select(TokenPolicyRow::as_select()).first(conn).optional()
}

pub fn save_policy(conn: &mut DbConnection, policy: &NewTokenPolicy) -> QueryResult<()> {
    conn.transaction(|conn| {
        let updated = diesel::update(policies::table.find(&policy.account_id)).set(policy).execute(conn)?;
        if updated == 0 {
            diesel::insert_into(policies::table).values(policy).execute(conn)?;
        }
        Ok(())
    })
}
