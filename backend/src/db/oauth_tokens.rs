//! The `oauth_tokens` table, and the deployments tokens are assigned to.

use crate::db::models::{NewOAuthToken, OAuthTokenRow};
use crate::db::schema::{applications, deployments, oauth_tokens as tokens, users};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The account's tokens, each with the name of the user who added it (if still there).
pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(OAuthTokenRow, Option<String>)>> {
    tokens::table
        .left_join(users::table)
        .filter(tokens::account_id.eq(account_id))
        .order(tokens::created_at.asc())
        .select((OAuthTokenRow::as_select(), users::name.nullable()))
        .load(conn)
}

/// (token id, deployment id, deployment label, application id, application name) for the account.
pub type Assignment = (String, String, String, String, String);

pub fn assignments(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<Assignment>> {
    deployments::table
        .inner_join(applications::table)
        .filter(applications::account_id.eq(account_id))
        .filter(deployments::oauth_token_id.is_not_null())
        .order(deployments::created_at.asc())
        .select((
            deployments::oauth_token_id.assume_not_null(),
            deployments::id,
            deployments::label,
            applications::id,
            applications::name,
        ))
        .load(conn)
}

pub fn find(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<OAuthTokenRow>> {
    tokens::table
        .filter(tokens::id.eq(id))
        .filter(tokens::account_id.eq(account_id))
        .select(OAuthTokenRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &NewOAuthToken) -> QueryResult<()> {
    diesel::insert_into(tokens::table).values(row.clone()).execute(conn).map(|_| ())
}

pub fn set_description(conn: &mut DbConnection, id: &str, description: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(tokens::table.find(id))
        .set((tokens::description.eq(description), tokens::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// A re-authorization's result: the new type and grant replace the old.
pub fn replace_grant(conn: &mut DbConnection, fresh: &NewOAuthToken) -> QueryResult<()> {
    diesel::update(tokens::table.find(&fresh.id))
        .set((
            tokens::token_type.eq(fresh.token_type.as_str()),
            tokens::description.eq(&fresh.description),
            tokens::stripe_user_id.eq(&fresh.stripe_user_id),
            tokens::livemode.eq(fresh.livemode),
            tokens::scope.eq(&fresh.scope),
            tokens::access_token_sealed.eq(fresh.access_token_sealed.expose()),
            tokens::refresh_token_sealed.eq(fresh.refresh_token_sealed.expose()),
            tokens::updated_at.eq(fresh.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(tokens::table.find(id)).execute(conn).map(|_| ())
}
