//! Migrations keep what the rows said: an existing database upgraded in place.

use crate::helpers::spawn_app;
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use keydesk::db::schema::users;
use keydesk::db::DbConnection;

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const IS_ACTIVE_BOOLEAN: &str = "is_active_boolean";

/// Undoes the named migration, runs `sql` on the schema as it was, and migrates forward again.
fn across<DB: diesel::backend::Backend>(
    conn: &mut (impl MigrationHarness<DB> + SimpleConnection),
    source: EmbeddedMigrations,
    name: &str,
    sql: &str,
) where
    EmbeddedMigrations: MigrationSource<DB>,
{
    let migrations = MigrationSource::<DB>::migrations(&source).unwrap();
    let migration = migrations.iter().find(|m| m.name().to_string().contains(name)).unwrap();
    conn.revert_migration(migration.as_ref()).unwrap();
    conn.batch_execute(sql).unwrap();
    conn.run_pending_migrations(source).unwrap();
}

#[tokio::test]
async fn a_user_deactivated_before_the_flag_became_a_boolean_stays_deactivated() {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    app.signed_up("bob@example.com").await;
    // Before the change is_active held 0 or 1: Ann was deactivated then.
    let deactivate_ann = "UPDATE users SET is_active = 0 WHERE email = 'ann@example.com'";
    let mut conn = app.db();
    match &mut *conn {
        DbConnection::Pg(c) => across(c, POSTGRES, IS_ACTIVE_BOOLEAN, deactivate_ann),
        DbConnection::Sqlite(c) => across(c, SQLITE, IS_ACTIVE_BOOLEAN, deactivate_ann),
    }
    // Read on this connection: the server's own have prepared statements from before the type change.
    let flags: Vec<(String, bool)> =
        users::table.select((users::email, users::is_active)).order(users::email.asc()).load(&mut *conn).unwrap();
    assert_eq!(flags, [("ann@example.com".to_string(), false), ("bob@example.com".to_string(), true)]);
}
