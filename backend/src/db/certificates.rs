//! The `certificates` table: client certificates per account and domain.

use crate::db::models::{CertificateRow, NewCertificate};
use crate::db::schema::{certificates as certs, users};
use crate::db::DbConnection;
use diesel::prelude::*;

/// The account's certificates by domain, each with the name of the user who added it (if still there).
pub fn list(conn: &mut DbConnection, account_id: &str) -> QueryResult<Vec<(CertificateRow, Option<String>)>> {
    certs::table
        .left_join(users::table)
        .filter(certs::account_id.eq(account_id))
        .order(certs::domain.asc())
        .select((CertificateRow::as_select(), users::name.nullable()))
        .load(conn)
}

pub fn find(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<Option<CertificateRow>> {
    certs::table
        .filter(certs::id.eq(id))
        .filter(certs::account_id.eq(account_id))
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()
}

/// The certificate to present to `host`: the exact domain first, then the wildcard one label up.
pub fn for_host(conn: &mut DbConnection, account_id: &str, host: &str) -> QueryResult<Option<CertificateRow>> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let wildcard = host.split_once('.').map(|(_, parent)| format!("*.{parent}"));
    let mut found: Vec<CertificateRow> = certs::table
        .filter(certs::account_id.eq(account_id))
        .filter(certs::domain.eq_any([Some(host.clone()), wildcard].into_iter().flatten()))
        .select(CertificateRow::as_select())
        .load(conn)?;
    found.sort_by_key(|c| c.domain != host);
    Ok(found.into_iter().next())
}

pub fn insert(conn: &mut DbConnection, row: &NewCertificate) -> QueryResult<()> {
    diesel::insert_into(certs::table).values(row.clone()).execute(conn).map(|_| ())
}

/// 0 when the account has no certificate with that id.
pub fn delete(conn: &mut DbConnection, account_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(certs::table.filter(certs::id.eq(id)).filter(certs::account_id.eq(account_id))).execute(conn)
}
