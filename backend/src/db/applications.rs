//! The `applications` and `application_libraries` tables.

use crate::db::models::{ApplicationRow, NewApplication};
use crate::db::schema::{application_libraries as uses, applications as apps};
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<ApplicationRow>> {
    apps::table
        .filter(apps::account_id.eq(account_id))
        .order(apps::name.asc())
        .select(ApplicationRow::as_select())
        .load(conn)
}

/// The account's application with this id (another account's does not exist for it).
pub fn find(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<ApplicationRow>> {
    apps::table
        .filter(apps::id.eq(id))
        .filter(apps::account_id.eq(account_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &NewApplication) -> QueryResult<()> {
    diesel::insert_into(apps::table).values(row).execute(conn).map(|_| ())
}

pub fn update(conn: &mut DbConnection, id: &str, name: &str, description: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(apps::table.find(id))
        .set((apps::name.eq(name), apps::description.eq(description), apps::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(apps::table.find(id)).execute(conn).map(|_| ())
}

/// The libraries the application uses, in order.
pub fn library_ids(conn: &mut DbConnection, application_id: &str) -> QueryResult<Vec<String>> {
    uses::table
        .filter(uses::application_id.eq(application_id))
        .order(uses::position.asc())
        .select(uses::library_id)
        .load(conn)
}

/// Replaces the application's libraries with `library_ids`, in that order.
pub fn set_libraries(conn: &mut DbConnection, application_id: &str, library_ids: &[String]) -> QueryResult<()> {
    diesel::delete(uses::table.filter(uses::application_id.eq(application_id))).execute(conn)?;
    for (position, library_id) in library_ids.iter().enumerate() {
        diesel::insert_into(uses::table)
            .values((
                uses::application_id.eq(application_id),
                uses::library_id.eq(library_id),
                uses::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Applications using the library: (id, name, has a deployment).
pub fn using_library(conn: &mut DbConnection, library_id: &str) -> QueryResult<Vec<(String, String, bool)>> {
    use crate::db::schema::deployments;
    let deployed = diesel::dsl::exists(deployments::table.filter(deployments::application_id.eq(apps::id)));
    uses::table
        .inner_join(apps::table)
        .filter(uses::library_id.eq(library_id))
        .order(apps::name.asc())
        .select((apps::id, apps::name, deployed))
        .load(conn)
}

/// Takes the library out of every application's settings.
pub fn detach_library(conn: &mut DbConnection, library_id: &str) -> QueryResult<()> {
    diesel::delete(uses::table.filter(uses::library_id.eq(library_id))).execute(conn).map(|_| ())
}
