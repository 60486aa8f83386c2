//! The `integrations` and `application_integrations` tables.

use crate::db::models::{IntegrationRow, NewIntegration};
use crate::db::schema::{application_integrations as uses, applications as apps, integrations, users};
use crate::db::DbConnection;
use diesel::prelude::*;

/// The account's integrations by name, each with the name of the user who added it (if still there).
pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(IntegrationRow, Option<String>)>> {
    integrations::table
        .left_join(users::table)
        .filter(integrations::account_id.eq(account_id))
        .order(integrations::name_normalized.asc())
        .select((IntegrationRow::as_select(), users::name.nullable()))
        .load(conn)
}

pub fn find(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<IntegrationRow>> {
    integrations::table
        .filter(integrations::id.eq(id))
        .filter(integrations::account_id.eq(account_id))
        .select(IntegrationRow::as_select())
        .first(conn)
        .optional()
}

/// How many of `ids` are integrations of the account.
pub fn count_owned(conn: &mut DbConnection, account_id: &str, ids: &[String]) -> QueryResult<i64> {
    integrations::table
        .filter(integrations::account_id.eq(account_id))
        .filter(integrations::id.eq_any(ids))
        .count()
        .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &NewIntegration) -> QueryResult<()> {
    diesel::insert_into(integrations::table).values(row.clone()).execute(conn).map(|_| ())
}

/// Saves name, type, fields and secrets of an existing row.
pub fn update(conn: &mut DbConnection, row: &IntegrationRow) -> QueryResult<()> {
    diesel::update(integrations::table.find(&row.id))
        .set((
            integrations::name.eq(&row.name),
            integrations::name_normalized.eq(&row.name_normalized),
            integrations::kind.eq(row.kind.as_str()),
            integrations::config.eq(&row.config),
            integrations::secrets_sealed.eq(row.secrets_sealed.expose()),
            integrations::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(integrations::table.find(id)).execute(conn).map(|_| ())
}

/// (integration id, application id, application name) for every use in the account.
pub fn uses(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(String, String, String)>> {
    uses::table
        .inner_join(apps::table)
        .filter(apps::account_id.eq(account_id))
        .order(apps::name.asc())
        .select((uses::integration_id, apps::id, apps::name))
        .load(conn)
}

pub fn for_application(conn: &mut DbConnection, application_id: &str) -> QueryResult<Vec<String>> {
    uses::table.filter(uses::application_id.eq(application_id)).select(uses::integration_id).load(conn)
}

/// Replaces the integrations the application uses.
pub fn set_for_application(conn: &mut DbConnection, application_id: &str, ids: &[String]) -> QueryResult<()> {
    diesel::delete(uses::table.filter(uses::application_id.eq(application_id))).execute(conn)?;
    for id in ids {
        diesel::insert_into(uses::table)
            .values((uses::application_id.eq(application_id), uses::integration_id.eq(id)))
            .execute(conn)?;
    }
    Ok(())
}
