//! What every handler can reach.

use crate::config::Settings;
use crate::crypto::{KeyedHasher, SecretBox};
use crate::db::DbPool;
use crate::mail::Mailer;
use crate::rate_limit::AuthRateLimiter;
use crate::sms::SmsSender;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub secrets: Arc<SecretBox>,
    pub hasher: Arc<KeyedHasher>,
    pub auth_limiter: Arc<AuthRateLimiter>,
    pub hashing: Arc<crate::auth::password::HashQueue>,
    pub mailer: Arc<Mailer>,
    pub sms: Arc<SmsSender>,
    pub outbound: Arc<crate::outbound::Outbound>,
    pub stripe: Arc<crate::stripe::Stripe>,
    pub settings: Arc<Settings>,
    pub recent: Arc<crate::recent::RecentReads>,
    /// The WebAuthn relying party, for passkeys.
    pub webauthn: Arc<webauthn_rs::Webauthn>,
    /// The scope each operation needs from an access token.
    pub route_scopes: Arc<crate::auth::scopes::RouteScopes>,
    /// Changes to JS libraries waiting for the one being written to the same library.
    pub library_changes: Arc<crate::routes::js_library_batches::Changes>,
    /// New JS libraries waiting for the ones being added to the same account.
    pub library_additions: Arc<crate::routes::js_library_batches::Additions>,
}
