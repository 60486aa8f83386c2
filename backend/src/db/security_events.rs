//! The `security_events` table.

use crate::db::models::{NewSecurityEvent, SecurityEventRow};
use crate::db::schema::{security_events as events, users};
use crate::db::DbConnection;
use diesel::prelude::*;

pub fn insert(conn: &mut DbConnection, row: &NewSecurityEvent) -> QueryResult<()> {
    diesel::insert_into(events::table).values(row.clone()).execute(conn).map(|_| ())
}

/// Which events a page is taken from.
pub struct Filter<'a> {
    pub account_id: &'a str,
    pub user_id: Option<&'a str>,
    pub kind: Option<&'a str>,
}

/// An event with the name of its user (if the user still exists).
pub type NamedEvent = (SecurityEventRow, Option<String>);

/// One page, newest first; and how many match in all.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<NamedEvent>, i64)> {
    let matching = || {
        let mut query =
            events::table.left_join(users::table).filter(events::account_id.eq(filter.account_id)).into_boxed();
        if let Some(user_id) = filter.user_id {
            query = query.filter(events::user_id.eq(user_id));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(events::kind.eq(kind));
        }
        query
    };
    let total = matching().count().get_result(conn)?;
    let rows = matching()
        .order((events::created_at.desc(), events::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((SecurityEventRow::as_select(), users::name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// Whether the user already has an event of `kind` from `ip` (a notice is sent for a new address).
pub fn seen_from(conn: &mut DbConnection, user_id: &str, kind: &str, ip: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        events::table.filter(events::user_id.eq(user_id)).filter(events::kind.eq(kind)).filter(events::ip.eq(ip)),
    ))
    .get_result(conn)
}
