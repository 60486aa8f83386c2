//! What every handler can reach.

use crate::config::Settings;
use crate::crypto::SecretBox;
use crate::db::DbPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub secrets: Arc<SecretBox>,
    pub settings: Arc<Settings>,
}
