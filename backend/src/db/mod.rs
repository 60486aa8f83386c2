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

use crate::error::ApiError;
use actix_web::web;
use std::time::Duration;

/// How long a request waits for its turn at the database before it is answered with an error (the
/// pool's own wait for a connection has the same limit).
const TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs `work` with a pooled connection on the blocking pool, off the async executor.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let turn = tokio::time::timeout(TURN_TIMEOUT, pool.turn())
        .await
        .map_err(|_| ApiError::Unexpected(anyhow::anyhow!("no database connection available within {TURN_TIMEOUT:?}")))?
        .map_err(|e| ApiError::Unexpected(e.into()))?;
    let pool = pool.clone();
    web::block(move || {
        let _turn = turn;
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Unexpected(anyhow::Error::new(e).context("blocking task was cancelled")))?
}

/// [`run`] after CPU work: `check` runs first on the blocking pool, and only then does the request
/// queue for the database, so a slow or refused check (a JS parse) holds no turn there.
pub async fn run_checked<C, T, K, F>(pool: &DbPool, check: K, work: F) -> Result<T, ApiError>
where
    K: FnOnce() -> Result<C, ApiError> + Send + 'static,
    F: FnOnce(&mut DbConnection, C) -> Result<T, ApiError> + Send + 'static,
    C: Send + 'static,
    T: Send + 'static,
{
    let checked = web::block(check)
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::Error::new(e).context("blocking task was cancelled")))??;
    run(pool, move |conn| work(conn, checked)).await
}

/// True when `e` is a unique-constraint violation (for 409 answers).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}
