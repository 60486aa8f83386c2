//! What every handler can reach.

use crate::config::Settings;
use crate::crypto::{KeyedHasher, SecretBox};
use crate::db::DbPool;
use crate::rate_limit::AuthRateLimiter;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub secrets: Arc<SecretBox>,
    pub hasher: Arc<KeyedHasher>,
    pub auth_limiter: Arc<AuthRateLimiter>,
    pub settings: Arc<Settings>,
}
