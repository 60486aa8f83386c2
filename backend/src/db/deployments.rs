//! The `deployments` table.

use crate::db::models::{DeploymentRow, NewDeployment};
use crate::db::schema::{applications as apps, deployments as deps};
use crate::db::DbConnection;
use diesel::prelude::*;

pub fn for_application(conn: &mut DbConnection, application_id: &str) -> QueryResult<Vec<DeploymentRow>> {
    deps::table
        .filter(deps::application_id.eq(application_id))
        .order(deps::created_at.asc())
        .select(DeploymentRow::as_select())
        .load(conn)
}

pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<DeploymentRow>> {
    deps::table
        .inner_join(apps::table)
        .filter(apps::account_id.eq(account_id))
        .order(deps::created_at.asc())
        .select(DeploymentRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, row: &NewDeployment) -> QueryResult<()> {
    diesel::insert_into(deps::table).values(row).execute(conn).map(|_| ())
}

/// The account's deployment with that id, if it has one.
fn owned(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<String>> {
    deps::table
        .inner_join(apps::table)
        .filter(deps::id.eq(id))
        .filter(apps::account_id.eq(account_id))
        .select(deps::id)
        .first(conn)
        .optional()
}

/// Sets the label, variables (JSON) and OAuth token of the account's deployment; None when it has none
/// with that id.
pub fn update(
    conn: &mut DbConnection,
    account_id: &str,
    id: &str,
    (label, variables, oauth_token_id): (&str, &str, Option<&str>),
) -> QueryResult<Option<DeploymentRow>> {
    let Some(id) = owned(conn, account_id, id)? else { return Ok(None) };
    diesel::update(deps::table.find(&id))
        .set((deps::label.eq(label), deps::variables.eq(variables), deps::oauth_token_id.eq(oauth_token_id)))
        .execute(conn)?;
    deps::table.find(&id).select(DeploymentRow::as_select()).first(conn).map(Some)
}

/// Deletes the account's deployment; 0 when it has none with that id.
pub fn delete(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<usize> {
    match owned(conn, account_id, id)? {
        Some(id) => diesel::delete(deps::table.find(id)).execute(conn),
        None => Ok(0),
    }
}
