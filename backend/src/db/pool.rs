//! One connection type for SQLite and PostgreSQL, its pool, and the embedded migrations.

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
/// Any fixed number: instances starting together take this advisory lock so one migrates.
const MIGRATION_LOCK_ID: i64 = 0x006b_6579_6465_736b;

/// SQLite stays last: `establish` tries the variants in order, and a PostgreSQL URL
/// would otherwise be taken for a file name.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The connections, and a fair queue in front of them: a request waits for its turn on the async
/// side, first come first served, and only then takes a blocking thread to use a connection. (Waiting
/// in the pool itself parked one blocking thread per waiter, each woken in no particular order: a
/// task switch per waiter and a long tail of slow answers under load.) `get` is the pool's own.
#[derive(Clone)]
pub struct DbPool {
    connections: Pool<ConnectionManager<DbConnection>>,
    turns: Arc<Semaphore>,
}

impl DbPool {
    fn new(connections: Pool<ConnectionManager<DbConnection>>) -> DbPool {
        let turns = Arc::new(Semaphore::new(connections.max_size() as usize));
        DbPool { connections, turns }
    }

    /// A turn to use a connection: at most one per connection are out at once. (It fails only if
    /// the queue were closed, which nothing does.)
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.turns.clone().acquire_owned().await
    }
}

impl Deref for DbPool {
    type Target = Pool<ConnectionManager<DbConnection>>;

    fn deref(&self) -> &Self::Target {
        &self.connections
    }
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            // The busy timeout makes writers queue instead of failing with "database is locked".
            // WAL is set once per file, in `connect`: switching modes takes a lock of its own.
            c.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Whether a database location is a PostgreSQL URL (else it is an SQLite file).
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Connections a server's pool holds on PostgreSQL (SQLite's is smaller: one writer at a time).
const SERVER_PG_CONNECTIONS: u32 = 16;
const SERVER_SQLITE_CONNECTIONS: u32 = 8;

/// Opens a server's pool for a `postgres://` URL or an SQLite file path, and migrates.
pub fn connect(location: &str) -> anyhow::Result<DbPool> {
    let size = if is_postgres(location) { SERVER_PG_CONNECTIONS } else { SERVER_SQLITE_CONNECTIONS };
    connect_sized(location, size)
}

/// Initialises OpenSSL, which libpq uses, without the clean-up it would register to run at exit.
/// Otherwise a pool's worker thread still (re)connecting while the process exits finds OpenSSL
/// freed under it and the process ends in a segfault (diesel-rs/diesel#3441). Only the first
/// initialisation counts: call this before any PostgreSQL connection is opened.
pub fn init_tls() {
    openssl::init();
}

/// [`connect`] with a pool of `size` connections, all opened at once: a one-shot command needs one, not
/// a server's worth of PostgreSQL's connection slots.
pub fn connect_sized(location: &str, size: u32) -> anyhow::Result<DbPool> {
    let is_postgres = is_postgres(location);
    if is_postgres {
        init_tls();
    }
    // Instances starting together: one opens and migrates, the others wait, then find nothing to do.
    // PostgreSQL takes an advisory lock (in `run_migrations`); SQLite, a lock file beside the
    // database, held from before WAL is switched on (that switch fails, not waits, beside a migration).
    let _lock = if is_postgres { None } else { Some(lock_file(location)?) };
    // No `SELECT 1` before each checkout: a broken connection shows on its first real query,
    // is marked broken there and not reused, and the test doubled the queries of a cheap read.
    let builder = Pool::builder().max_size(size).connection_timeout(Duration::from_secs(10)).test_on_check_out(false);
    let builder = if is_postgres {
        builder
    } else {
        // WAL lets readers run beside the writer; it is a property of the file, so it stays set.
        let mut first = <SqliteConnection as diesel::Connection>::establish(location)
            .with_context(|| format!("Failed to open the database ({location})"))?;
        first.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")?;
        builder.connection_customizer(Box::new(SqlitePragmas))
    };
    let pool = builder
        .build(ConnectionManager::<DbConnection>::new(location))
        .with_context(|| format!("Failed to open the database ({})", redact(location)))?;
    let mut conn = pool.get().context("Failed to get a database connection")?;
    run_migrations(&mut conn)?;
    Ok(DbPool::new(pool))
}

/// An exclusive lock on `<database>.migrate-lock`, released when dropped.
fn lock_file(location: &str) -> anyhow::Result<std::fs::File> {
    let path = format!("{location}.migrate-lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("Failed to open {path}"))?;
    file.lock().with_context(|| format!("Failed to lock {path}"))?;
    Ok(file)
}

fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let result = match conn {
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_ID})"))?;
            let result = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})"))?;
            result
        }
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("Failed to run database migrations: {e}"))
}

/// The URL without its password, for messages.
fn redact(location: &str) -> String {
    match (location.find("://"), location.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &location[..scheme_end], &location[at..])
        }
        _ => location.to_string(),
    }
}

/// Whether the database answers (for `/healthz`).
pub fn ping(conn: &mut DbConnection) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Each folder's migrations by name.
    fn migrations(backend: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Diesel knows a migration by the version before its first `_`: two with one version and the
    /// second never runs (it looks run already).
    #[test]
    fn every_migration_has_its_own_version_and_both_databases_have_the_same_ones() {
        let sqlite = migrations("sqlite");
        let versions: BTreeSet<&str> = sqlite.iter().map(|n| n.split('_').next().unwrap()).collect();
        assert_eq!(versions.len(), sqlite.len(), "a version is used twice: {sqlite:?}");
        assert_eq!(sqlite, migrations("postgres"));
    }

    /// One schema, two dialects: a file may differ only if the SQLite one's first line says why
    /// (a `-- ` comment), so a change made to one folder alone shows here.
    #[test]
    fn both_databases_migrate_with_the_same_text_unless_a_file_says_why() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        for name in migrations("sqlite") {
            for file in ["up.sql", "down.sql"] {
                let read = |backend: &str| std::fs::read_to_string(root.join(backend).join(&name).join(file)).unwrap();
                let (sqlite, postgres) = (read("sqlite"), read("postgres"));
                let explained = sqlite.lines().next().is_some_and(|line| line.starts_with("-- ") && line.len() > 20);
                assert!(
                    sqlite == postgres || explained,
                    "{name}/{file} differs between the folders without saying why"
                );
            }
        }
    }
}
