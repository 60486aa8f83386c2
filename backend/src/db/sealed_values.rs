//! Values sealed before sealing bound a value to its row: found at start-up and sealed again, bound,
//! so that none stays movable to another row for long after an upgrade.

use crate::crypto::{SealedAt, SecretBox, BOUND_PREFIX};
use crate::db::DbConnection;
use diesel::prelude::*;

/// Seals one column's old values again, bound to their row; a row written meanwhile is left as it is.
macro_rules! bind_column {
    ($conn:expr, $secrets:expr, $table:ident, $row:ident, $column:ident $(, $only:expr)?) => {{
        use crate::db::schema::$table::dsl as t;
        let old: Vec<(String, String)> = t::$table
            .select((t::$row, t::$column))
            .filter(t::$column.not_like(format!("{BOUND_PREFIX}%")))
            $(.filter($only))?
            .load($conn)?;
        let mut bound = 0;
        for (row, value) in old {
            let at = SealedAt { table: stringify!($table), column: stringify!($column), row: &row };
            let Some(sealed) = reseal($secrets, &value, at) else { continue };
            bound += diesel::update(t::$table.filter(t::$row.eq(&row)).filter(t::$column.eq(&value)))
                .set(t::$column.eq(sealed))
                .execute($conn)?;
        }
        bound
    }};
}

/// How many values were sealed again.
pub fn bind_old_values(conn: &mut DbConnection, secrets: &SecretBox) -> QueryResult<usize> {
    use crate::db::schema::two_factor;
    Ok(bind_column!(conn, secrets, developer_keys, user_id, sealed_key)
        + bind_column!(conn, secrets, certificates, id, private_key_sealed)
        + bind_column!(conn, secrets, integrations, id, secrets_sealed)
        + bind_column!(conn, secrets, oauth_tokens, id, access_token_sealed)
        + bind_column!(conn, secrets, oauth_tokens, id, refresh_token_sealed)
        // Only an authenticator app's destination is sealed (its secret); email and phone are not.
        + bind_column!(conn, secrets, two_factor, user_id, destination, two_factor::method.eq("totp")))
}

fn reseal(secrets: &SecretBox, value: &str, at: SealedAt<'_>) -> Option<String> {
    let opened = secrets.open(value, at).map_err(|e| tracing::warn!(error = %e, "an old sealed value does not open"));
    secrets.seal(&opened.ok()?, at).ok()
}
