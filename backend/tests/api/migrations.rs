//! Migrations keep what the rows said: an existing database upgraded in place.

use crate::helpers::{spawn_app, TestApp};
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use keydesk::db::schema::users;
use keydesk::db::DbConnection;

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const IS_ACTIVE_BOOLEAN: &str = "is_active_boolean";
const EMAIL_VERIFIED_BOOLEAN: &str = "email_verified_boolean";

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

/// Ann and Bob sign up; then `sql` runs on the schema as it was before `migration`, which runs again.
async fn upgraded_after(migration: &str, sql: &str) -> TestApp {
    let app = spawn_app().await;
    app.signed_up("ann@example.com").await;
    app.signed_up("bob@example.com").await;
    match &mut *app.db() {
        DbConnection::Pg(c) => across(c, POSTGRES, migration, sql),
        DbConnection::Sqlite(c) => across(c, SQLITE, migration, sql),
    }
    app
}

#[tokio::test]
async fn a_user_deactivated_before_the_flag_became_a_boolean_stays_deactivated() {
    // Before the change is_active held 0 or 1: Ann was deactivated then.
    let app = upgraded_after(IS_ACTIVE_BOOLEAN, "UPDATE users SET is_active = 0 WHERE email = 'ann@example.com'").await;
    // Read on a connection of the test's: the server's own have prepared statements from before the type change.
    let flags: Vec<(String, bool)> =
        users::table.select((users::email, users::is_active)).order(users::email.asc()).load(&mut *app.db()).unwrap();
    assert_eq!(flags, [("ann@example.com".to_string(), false), ("bob@example.com".to_string(), true)]);
}

#[tokio::test]
async fn an_address_unproven_before_the_flag_became_a_boolean_stays_unproven() {
    // Before the change email_verified held 0 or 1: Ann had not proven her address, Bob had.
    let numbers = "UPDATE users SET email_verified = CASE WHEN email = 'ann@example.com' THEN 0 ELSE 1 END";
    let app = upgraded_after(EMAIL_VERIFIED_BOOLEAN, numbers).await;
    let flags: Vec<(String, bool)> = users::table
        .select((users::email, users::email_verified))
        .order(users::email.asc())
        .load(&mut *app.db())
        .unwrap();
    assert_eq!(flags, [("ann@example.com".to_string(), false), ("bob@example.com".to_string(), true)]);
}
