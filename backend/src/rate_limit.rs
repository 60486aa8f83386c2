//! The `POST /api/auth` limit: 15 requests per 15 minutes per client address,
//! counted for every response, with the X-RateLimit-* headers on each.

use crate::auth::session::client_ip;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
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

type Limiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// GCRA per address (governor): exact under concurrency, a few bytes per address.
pub struct AuthRateLimiter {
    limiter: Limiter,
}

impl AuthRateLimiter {
    pub fn new() -> Self {
        let burst = NonZeroU32::new(AUTH_LIMIT).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(REPLENISH_EVERY).unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        let limiter = RateLimiter::dashmap(quota.allow_burst(burst)).with_middleware::<StateInformationMiddleware>();
        AuthRateLimiter { limiter }
    }

    /// `Ok(remaining)` when allowed; `Err(wait)` when over the limit.
    fn check(&self, ip: IpAddr) -> Result<u32, Duration> {
        match self.limiter.check_key(&ip) {
            Ok(snapshot) => Ok(snapshot.remaining_burst_capacity()),
            Err(not_until) => Err(not_until.wait_time_from(self.limiter.clock().now())),
        }
    }
}

impl Default for AuthRateLimiter {
    fn default() -> Self {
        Self::new()
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
    let verdict = match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.auth_limiter.check(ip),
        None => Err(Duration::ZERO),
    };
    match verdict {
        Ok(remaining) => {
            let mut response = next.call(req).await?.map_into_left_body();
            let refill = REPLENISH_EVERY.as_secs() * u64::from(AUTH_LIMIT - remaining);
            let headers = response.headers_mut();
            set(headers, "x-ratelimit-limit", u64::from(AUTH_LIMIT));
            set(headers, "x-ratelimit-remaining", u64::from(remaining));
            set(headers, "x-ratelimit-reset", unix_now() + refill);
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
