//! The `POST /api/auth` limit: 15 requests per 15 minutes per client address (an IPv6 client's
//! /64), counted for every response, with the X-RateLimit-* headers on each.
//!
//! governor (GCRA, in memory) is the cheap first line in every instance. With shared
//! limits configured, a fixed 15-minute window counted in the database or in Redis then
//! decides, so several instances together still allow exactly 15.

use crate::db::{self, rate_limit_counters, DbPool};
use crate::error::ApiError;
use crate::request::client_ip;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use actix_web::{web, HttpResponse};
use anyhow::Context;
use chrono::Utc;
use futures_util::StreamExt;
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

pub use crate::config::SharedLimits;

/// The shared store, connected.
enum Shared {
    Off,
    Database,
    Redis { connection: Box<redis::aio::ConnectionManager>, prefix: String },
}

pub struct AuthRateLimiter {
    local: Limiter,
    shared: Shared,
}

/// How long start-up waits for Redis before giving up with a clear message.
const REDIS_CONNECT_WITHIN: Duration = Duration::from_secs(5);

/// Counts a hit and returns it with the window's seconds left, atomically.
const REDIS_HIT: &str = r"
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('TTL', KEYS[1])}
";

/// An allowed request: what the headers say.
struct Allowance {
    remaining: u32,
    reset_unix: u64,
}

impl AuthRateLimiter {
    /// Connects to Redis when configured; an unreachable Redis stops the start with a clear message.
    pub async fn connect(shared: &SharedLimits) -> anyhow::Result<Self> {
        let burst = NonZeroU32::new(AUTH_LIMIT).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(REPLENISH_EVERY).unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        let local = RateLimiter::dashmap(quota.allow_burst(burst)).with_middleware::<StateInformationMiddleware>();
        let shared = match shared {
            SharedLimits::Off => Shared::Off,
            SharedLimits::Database => Shared::Database,
            SharedLimits::Redis { url, prefix } => {
                let client = redis::Client::open(url.as_str()).context("KEYDESK_SHARED_LIMITS is not a Redis URL")?;
                // Few retries and short timeouts: a request must not wait long on a sick Redis.
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_number_of_retries(2)
                    .set_connection_timeout(Duration::from_secs(3))
                    .set_response_timeout(Duration::from_secs(2));
                let connecting = redis::aio::ConnectionManager::new_with_config(client, config);
                let connection = tokio::time::timeout(REDIS_CONNECT_WITHIN, connecting)
                    .await
                    .map_err(|_| anyhow::anyhow!("no answer within {REDIS_CONNECT_WITHIN:?}"))
                    .and_then(|connected| connected.map_err(anyhow::Error::new))
                    .with_context(|| format!("Failed to connect to Redis for shared limits at {url}"))?;
                Shared::Redis { connection: Box::new(connection), prefix: prefix.clone() }
            }
        };
        Ok(AuthRateLimiter { local, shared })
    }

    /// `Ok` when allowed; `Err(wait)` when over the limit.
    async fn check(&self, ip: IpAddr, pool: &DbPool) -> Result<Result<Allowance, Duration>, ApiError> {
        let local = match self.local.check_key(&ip) {
            Ok(snapshot) => snapshot.remaining_burst_capacity(),
            Err(not_until) => return Ok(Err(not_until.wait_time_from(self.local.clock().now()))),
        };
        let key = format!("api_auth:{ip}");
        // (hits in the window so far, seconds until the window ends)
        let (hits, secs_left): (i64, i64) = match &self.shared {
            Shared::Off => {
                let refill = REPLENISH_EVERY.as_secs() * u64::from(AUTH_LIMIT - local);
                return Ok(Ok(Allowance { remaining: local, reset_unix: unix_now() + refill }));
            }
            Shared::Database => {
                let now = Utc::now().naive_utc();
                let (hits, start) =
                    db::run(pool, move |conn| Ok(rate_limit_counters::hit(conn, &key, now, now - WINDOW)?)).await?;
                (i64::from(hits), (start + WINDOW - now).num_seconds())
            }
            Shared::Redis { connection, prefix } => {
                let mut connection = (**connection).clone();
                redis::Script::new(REDIS_HIT)
                    .key(format!("{prefix}:{key}"))
                    .arg(WINDOW.num_seconds())
                    .invoke_async(&mut connection)
                    .await
                    .map_err(|e| {
                        ApiError::Unexpected(anyhow::Error::new(e).context("Redis did not count the request"))
                    })?
            }
        };
        let secs_left = u64::try_from(secs_left.max(1)).unwrap_or(1);
        match u32::try_from(hits).unwrap_or(u32::MAX) {
            hits if hits <= AUTH_LIMIT => {
                Ok(Ok(Allowance { remaining: AUTH_LIMIT - hits, reset_unix: unix_now() + secs_left }))
            }
            _ => Ok(Err(Duration::from_secs(secs_left))),
        }
    }
}

/// The longest window any counter in `rate_limit_counters` uses: rows older are finished.
pub const LONGEST_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// Counts one action against `key` in the `rate_limit_counters` table (shared by every instance),
/// or refuses it (429 with `Retry-After`) past `limit` in the hour: sign-ups per address, link
/// resends per user.
pub async fn within_hourly_limit(pool: &DbPool, key: String, limit: u32) -> Result<(), ApiError> {
    let window = LONGEST_WINDOW;
    let now = Utc::now().naive_utc();
    let (hits, start) = db::run(pool, move |conn| Ok(rate_limit_counters::hit(conn, &key, now, now - window)?)).await?;
    match u32::try_from(hits).unwrap_or(u32::MAX) > limit {
        true => Err(ApiError::RateLimited { retry_after_secs: (start + window - now).num_seconds().max(1) as u64 }),
        false => Ok(()),
    }
}

/// The address a per-address limit counts against. An IPv6 client is usually given a whole /64
/// (2^64 addresses), so counting each address alone would let one client rotate past any limit.
pub fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
        v4 => v4,
    }
}

/// [`network_of`] for an address as [`client_ip`] writes it; anything unparsable stays as it is.
pub fn network_key(address: &str) -> String {
    address.parse().map_or_else(|_| address.to_string(), |ip| network_of(ip).to_string())
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn set(headers: &mut actix_web::http::header::HeaderMap, name: &'static str, value: u64) {
    headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
}

/// Middleware for the `/api/auth` resource (every method, so 405s count too).
/// Bodies up to this size are read and dropped before a 429, so the connection stays open
/// for the client's next request; unread, it would be closed (a new handshake per refusal
/// made refusals cost five times a plain answer). Larger or unsized bodies close it.
const DRAINED_BODY_MAX: u64 = 16 * 1024;

async fn drain_small_body(req: &mut ServiceRequest) {
    let length = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n <= DRAINED_BODY_MAX) {
        let mut body = req.take_payload();
        while let Some(Ok(_)) = body.next().await {}
    }
}

pub async fn limit_api_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let ip = network_of(client_ip(req.request()).parse().unwrap_or(IpAddr::from([0, 0, 0, 0])));
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
            let mut req = req;
            drain_small_body(&mut req).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_ipv4_by_their_address() {
        assert_eq!(network_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(network_key("2001:db8:1:2::1"), network_key("2001:db8:1:2:ffff::9"));
        assert_ne!(network_key("2001:db8:1:2::1"), network_key("2001:db8:1:3::1"));
        assert_eq!(network_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(network_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(network_key("unknown"), "unknown");
    }
}
