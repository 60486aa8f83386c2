//! Sign-in throttling: too many failures for one email, or from one address,
//! within a window earn a 429 until the window ends.

use crate::db::{sign_in_failures, DbConnection};
use crate::error::ApiError;
use chrono::{Duration, NaiveDateTime};

pub const WINDOW: Duration = Duration::minutes(15);
/// Failures allowed per email per window: enough for typos, too few for guessing.
pub const PER_EMAIL: i32 = 10;
/// Failures allowed per address per window: an office behind one NAT is many people.
pub const PER_ADDRESS: i32 = 100;

/// The counters one sign-in attempt touches.
pub struct Keys {
    email: String,
    address: String,
}

impl Keys {
    pub fn new(email_normalized: &str, address: &str) -> Self {
        Keys { email: format!("email:{email_normalized}"), address: format!("ip:{address}") }
    }

    fn with_limits(&self) -> [(&str, i32); 2] {
        [(&self.email, PER_EMAIL), (&self.address, PER_ADDRESS)]
    }
}

/// Refuses the attempt while either counter is at its limit.
pub fn check(conn: &mut DbConnection, keys: &Keys, now: NaiveDateTime) -> Result<(), ApiError> {
    for (key, limit) in keys.with_limits() {
        if let Some((failures, start)) = sign_in_failures::current(conn, key, now - WINDOW)? {
            if failures >= limit {
                let retry_after_secs = (start + WINDOW - now).num_seconds().max(1) as u64;
                return Err(ApiError::RateLimited { retry_after_secs });
            }
        }
    }
    Ok(())
}

pub fn record_failure(conn: &mut DbConnection, keys: &Keys, now: NaiveDateTime) -> Result<(), ApiError> {
    for (key, _) in keys.with_limits() {
        sign_in_failures::record(conn, key, now, now - WINDOW)?;
    }
    Ok(())
}

/// A success forgives the email's failures; the address's stay counted.
pub fn record_success(conn: &mut DbConnection, keys: &Keys) -> Result<(), ApiError> {
    sign_in_failures::clear(conn, &keys.email)?;
    Ok(())
}
