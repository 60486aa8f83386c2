//! The `deployments` table.

use crate::db::models::DeploymentRow;
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

pub fn insert(conn: &mut DbConnection, row: &DeploymentRow) -> QueryResult<()> {
    diesel::insert_into(deps::table).values(row).execute(conn).map(|_| ())
}

/// Deletes the account's deployment; 0 when it has none with that id.
pub fn delete(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<usize> {
    let owned: Option<String> = deps::table
        .inner_join(apps::table)
        .filter(deps::id.eq(id))
        .filter(apps::account_id.eq(account_id))
        .select(deps::id)
        .first(conn)
        .optional()?;
    match owned {
        Some(id) => diesel::delete(deps::table.find(id)).execute(conn),
        None => Ok(0),
    }
}
