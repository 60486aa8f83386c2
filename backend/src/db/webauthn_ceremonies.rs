//! The `webauthn_ceremonies` table: WebAuthn ceremonies begun and not yet finished.

use crate::db::models::{CeremonyRow, NewCeremony};
use crate::db::purposes::CeremonyPurpose;
use crate::db::schema::webauthn_ceremonies;
use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, row: NewCeremony) -> QueryResult<()> {
    diesel::insert_into(webauthn_ceremonies::table).values(row).execute(conn).map(|_| ())
}

/// For the scheduled purge.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::expires_at.le(now))).execute(conn)
}

/// Takes the live ceremony `id` of `purpose`: only one caller ever gets it (the delete decides).
pub fn take(
    conn: &mut DbConnection,
    id: &str,
    purpose: CeremonyPurpose,
    now: NaiveDateTime,
) -> QueryResult<Option<CeremonyRow>> {
    let live = webauthn_ceremonies::table
        .find(id)
        .filter(webauthn_ceremonies::purpose.eq(purpose.as_str()))
        .filter(webauthn_ceremonies::expires_at.gt(now))
        .select(CeremonyRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = live else { return Ok(None) };
    let taken = diesel::delete(webauthn_ceremonies::table.find(id)).execute(conn)?;
    Ok((taken == 1).then_some(row))
}
