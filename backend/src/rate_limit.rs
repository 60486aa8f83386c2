//! The `POST /api/auth` limit: 15 requests per 15 minutes per client address,
//! counted for every response, with the X-RateLimit-* headers on each.
//!
//! governor (GCRA, in memory) is the cheap first line in every instance. With shared
//! limits configured, a fixed 15-minute window counted in the database then decides,
//! so several instances together still allow exactly 15.

use crate::auth::session::client_ip;
use crate::db::{self, rate_limit_counters, DbPool};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const AUTH_LIMIT: u32 = 15;
/// One request's allowance comes back every minute: 15 in any 15 minutes.
const REPLENISH_EVERY: Duration = Duration::from_secs(60);
const WINDOW: chrono::Duration = chrono::Duration::minutes(15);

type Limiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// Where the counts that all instances share are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedLimits {
    /// This instance alone (governor only): the default on SQLite.
    Off,
    /// The `rate_limit_counters` table: the default on PostgreSQL.
    Database,
}

pub struct AuthRateLimiter {
    local: Limiter,
    shared: SharedLimits,
}

/// An allowed request: what the headers say.
struct Allowance {
    remaining: u32,
    reset_unix: u64,
}

impl AuthRateLimiter {
    pub fn new(shared: SharedLimits) -> Self {
        let burst = NonZeroU32::new(AUTH_LIMIT).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(REPLENISH_EVERY).unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        let local = RateLimiter::dashmap(quota.allow_burst(burst)).with_middleware::<StateInformationMiddleware>();
        AuthRateLimiter { local, shared }
    }

    /// `Ok` when allowed; `Err(wait)` when over the limit.
    async fn check(&self, ip: IpAddr, pool: &DbPool) -> Result<Result<Allowance, Duration>, ApiError> {
        let local = match self.local.check_key(&ip) {
            Ok(snapshot) => snapshot.remaining_burst_capacity(),
            Err(not_until) => return Ok(Err(not_until.wait_time_from(self.local.clock().now()))),
        };
        if self.shared == SharedLimits::Off {
            let refill = REPLENISH_EVERY.as_secs() * u64::from(AUTH_LIMIT - local);
            return Ok(Ok(Allowance { remaining: local, reset_unix: unix_now() + refill }));
        }
        let key = format!("api_auth:{ip}");
        let now = Utc::now().naive_utc();
        let (hits, start) =
            db::run(pool, move |conn| Ok(rate_limit_counters::hit(conn, &key, now, now - WINDOW)?)).await?;
        let reset = start + WINDOW;
        let reset_unix = u64::try_from(reset.and_utc().timestamp()).unwrap_or(0);
        match u32::try_from(hits).unwrap_or(u32::MAX) {
            hits if hits <= AUTH_LIMIT => Ok(Ok(Allowance { remaining: AUTH_LIMIT - hits, reset_unix })),
            _ => Ok(Err((reset - now).to_std().unwrap_or(Duration::from_secs(1)))),
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn set(headers: &mut actix_web::http::header::HeaderMap, name: &'static str, value: u64) {
    headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
}

/// Middleware for the `/api/auth` resource (every method, so 405s count too).
pub async fn limit_api_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let ip = client_ip(req.request()).parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("application state missing")))?;
    match state.auth_limiter.check(ip, &state.pool).await? {
        Ok(allowance) => {
            let mut response = next.call(req).await?.map_into_left_body();
            let headers = response.headers_mut();
            set(headers, "x-ratelimit-limit", u64::from(AUTH_LIMIT));
            set(headers, "x-ratelimit-remaining", u64::from(allowance.remaining));
            set(headers, "x-ratelimit-reset", allowance.reset_unix);
            Ok(response)
        }
        Err(wait) => {
            let wait = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = HttpResponse::TooManyRequests().insert_header((RETRY_AFTER, wait.to_string())).json(
                serde_json::json!({"error": format!(
                    "Rate limit exceeded: at most {AUTH_LIMIT} requests per 15 minutes. Try again in {wait} seconds."
                )}),
            );
            let headers = response.headers_mut();
            set(headers, "x-ratelimit-limit", u64::from(AUTH_LIMIT));
            set(headers, "x-ratelimit-remaining", 0);
            set(headers, "x-ratelimit-reset", unix_now() + wait);
            Ok(req.into_response(response).map_into_right_body())
        }
    }
}
