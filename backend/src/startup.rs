//! Builds the application: database, keys, routes and the HTTP server.

use crate::config::Settings;
use crate::crypto::{self, KeyedHasher, SecretBox};
use crate::db;
use crate::mail::Mailer;
use crate::rate_limit::AuthRateLimiter;
use crate::routes;
use crate::sms::SmsSender;
use crate::state::AppState;
use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use tracing_actix_web::TracingLogger;

const SHUTDOWN_GRACE_SECS: u64 = 10;

pub struct Application {
    addr: std::net::SocketAddr,
    server: Server,
}

impl Application {
    /// Opens (and migrates) the database and binds the listener; the server
    /// starts serving when [`Application::run_until_stopped`] is awaited.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Application> {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("Failed to create the data folder {}", settings.data_dir.display()))?;
        let key = crypto::load_or_create_key(&settings.data_dir, settings.secret_key.as_ref())?;
        let previous = settings
            .previous_secret_keys
            .iter()
            .map(|k| crypto::parse_key(k.expose_secret()))
            .collect::<anyhow::Result<Vec<_>>>()
            .context("KEYDESK_PREVIOUS_SECRET_KEYS is invalid")?;
        let location = settings.database_location();
        let recent = crate::recent::RecentReads::for_database(&location)?;
        let pool = web::block(move || db::pool::connect(&location)).await??;
        let secrets = Arc::new(SecretBox::new(key, &previous));
        let (binding_pool, binding_secrets) = (pool.clone(), secrets.clone());
        let bound = web::block(move || -> anyhow::Result<usize> {
            Ok(db::sealed_values::bind_old_values(&mut *binding_pool.get()?, &binding_secrets)?)
        })
        .await?
        .context("Failed to seal older values again")?;
        if bound > 0 {
            tracing::info!(bound, "sealed values from an earlier version again, bound to their rows");
        }

        let auth_limiter = AuthRateLimiter::connect(&settings.shared_limits).await?;
        let mailer = Mailer::from_settings(&settings)?;
        let sms = SmsSender::from_settings(&settings)?;
        let outbound =
            crate::outbound::Outbound::new(&settings.outbound).context("KEYDESK_OUTBOUND_CA_FILE is not valid PEM")?;
        let spa_dir = routes::spa::locate(settings.spa_dir.clone());
        match &spa_dir {
            Some(dir) => tracing::info!(dir = %dir.display(), "serving the dashboard"),
            None => tracing::warn!("the dashboard is not built; serving the API only"),
        }
        let listener = TcpListener::bind(&settings.addr)
            .with_context(|| format!("Failed to listen on {} (KEYDESK_ADDR)", settings.addr))?;
        let addr = listener.local_addr()?;
        // The port actually bound (the setting may say 0), for links in mail when no public URL is set.
        settings.addr = addr.to_string();
        let state = web::Data::new(AppState {
            pool,
            secrets,
            hasher: Arc::new(KeyedHasher::new(key, &previous)),
            auth_limiter: Arc::new(auth_limiter),
            hashing: Arc::new(crate::auth::password::HashQueue::new(settings.hash_queue)),
            mailer: Arc::new(mailer),
            sms: Arc::new(sms),
            outbound: Arc::new(outbound),
            stripe: Arc::new(crate::stripe::Stripe::new(settings.stripe.clone())?),
            webauthn: Arc::new(crate::auth::passkeys::relying_party(settings.public_url.as_deref())?),
            settings: Arc::new(settings),
            recent: Arc::new(recent),
            library_changes: Arc::default(),
            library_additions: Arc::default(),
            route_scopes: Arc::new(crate::auth::scopes::RouteScopes::from_document(crate::openapi::document())?),
        });
        let security_headers = web::Data::new(crate::security_headers::SecurityHeaders::new(spa_dir.as_deref())?);
        crate::purge::schedule(state.pool.clone(), state.settings.purge_interval);
        crate::token_expiry::schedule(state.clone());
        let client_timeout = state.settings.client_timeout;
        let trusted_proxies = crate::request::TrustedProxies(state.settings.trusted_proxies.as_slice().into());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(crate::auth::access_tokens::gate))
                .wrap(actix_web::middleware::from_fn(crate::recent::forget_after_writes))
                .wrap(actix_web::middleware::from_fn(crate::slow_clients::body_deadline))
                .wrap(TracingLogger::default())
                .wrap(actix_web::middleware::from_fn(crate::security_headers::add))
                .app_data(state.clone())
                .app_data(trusted_proxies.clone())
                .app_data(security_headers.clone())
                .app_data(routes::json_config())
                .app_data(routes::query_config())
                .configure(routes::configure)
                .configure(|cfg| routes::spa::configure(cfg, spa_dir.as_deref()))
        })
        // On SIGTERM or SIGINT: stop accepting, give in-flight requests this long, then exit 0.
        .shutdown_timeout(SHUTDOWN_GRACE_SECS)
        .client_request_timeout(client_timeout)
        .listen(listener)?
        .run();
        Ok(Application { addr, server })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Where a browser on this machine reaches the server.
    pub fn url(&self) -> String {
        match self.addr.ip() {
            ip if ip.is_unspecified() => format!("http://127.0.0.1:{}/", self.addr.port()),
            _ => format!("http://{}/", self.addr),
        }
    }

    /// Serves until SIGINT or SIGTERM; in-flight requests then get time to finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await.context("the HTTP server failed")
    }
}
