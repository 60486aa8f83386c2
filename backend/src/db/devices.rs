//! The `devices` table: browsers each user has signed in from.

use crate::db::models::{DeviceRow, NewDevice};
use crate::db::schema::devices;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Whether the device is known for this user; its last sighting is updated if so.
pub fn recognise(conn: &mut DbConnection, id: &str, user_id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(devices::table.filter(devices::id.eq(id)).filter(devices::user_id.eq(user_id)))
        .set(devices::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(updated > 0)
}

pub fn insert(conn: &mut DbConnection, device: &NewDevice) -> QueryResult<()> {
    diesel::insert_into(devices::table).values(device).execute(conn).map(|_| ())
}

/// The user's remembered browsers, most recently seen first.
pub fn list_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<DeviceRow>> {
    devices::table
        .filter(devices::user_id.eq(user_id))
        .order(devices::last_seen_at.desc())
        .select(DeviceRow::as_select())
        .load(conn)
}

/// Forgets one of the user's devices; 0 when the user has none with that id.
pub fn delete(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(devices::table.filter(devices::id.eq(id)).filter(devices::user_id.eq(user_id))).execute(conn)
}

/// Whether a device with this id (which binds the browser's token to one user) is remembered.
pub fn exists(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(devices::table.filter(devices::id.eq(id)))).get_result(conn)
}
