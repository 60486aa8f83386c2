//! Data access. SQL lives only here, in functions that take a connection;
//! handlers reach them through [`run`], on the blocking thread pool.

pub mod access_tokens;
pub mod accounts;
pub mod api_credentials;
pub mod applications;
pub mod certificates;
pub mod deployments;
pub mod developer_keys;
pub mod devices;
pub mod integrations;
pub mod js_libraries;
pub mod models;
pub mod oauth_states;
pub mod oauth_tokens;
pub mod passkeys;
pub mod password_tokens;
pub mod pool;
pub mod purposes;
pub mod rate_limit_counters;
pub mod schema;
pub mod sealed_values;
pub mod security_events;
pub mod sessions;
pub mod sign_in_failures;
pub mod two_factor;
pub mod two_factor_codes;
pub mod users;
pub mod webauthn_ceremonies;

pub use pool::{DbConnection, DbPool};

use actix_web::web;
use std::time::Duration;

/// How long a request waits for its turn at the database before it is answered with an error (the
/// pool's own wait for a connection has the same limit).
const TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the database could not answer. The layers above turn it into their own errors (the API's
/// is a 500: none of these is the caller's fault).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("no database connection available within {TURN_TIMEOUT:?}")]
    Busy,
    #[error("the database queue is closed")]
    Closed,
    #[error("blocking task was cancelled")]
    Cancelled(#[from] actix_web::error::BlockingError),
}

/// Runs `work` with a pooled connection on the blocking pool, off the async executor.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, Error>
where
    F: FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    run_with(pool, work).await
}

/// [`run`] for work that may refuse in the caller's own terms (a rule checked inside a transaction):
/// `work` returns the caller's error type, which database failures convert into.
pub async fn run_with<T, E, F>(pool: &DbPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    E: From<Error> + Send + 'static,
    T: Send + 'static,
{
    let turn =
        tokio::time::timeout(TURN_TIMEOUT, pool.turn()).await.map_err(|_| Error::Busy)?.map_err(|_| Error::Closed)?;
    let pool = pool.clone();
    web::block(move || {
        let _turn = turn;
        let mut conn = pool.get().map_err(Error::from)?;
        work(&mut conn)
    })
    .await
    .map_err(Error::from)?
}

/// True when `e` is a unique-constraint violation (for 409 answers).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}
