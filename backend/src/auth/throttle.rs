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

/// Counts the attempt as a failure before the password is checked, or refuses it while
/// either counter is at its limit. Counting first means concurrent guesses cannot all pass
/// a check that none of them has been counted against yet; [`succeeded`] gives it back.
pub fn reserve(conn: &mut DbConnection, keys: &Keys, now: NaiveDateTime) -> Result<(), ApiError> {
    let mut taken = Vec::new();
    for (key, limit) in keys.with_limits() {
        if let Some(start) = sign_in_failures::take(conn, key, limit, now, now - WINDOW)? {
            for key in taken {
                sign_in_failures::give_back(conn, key)?;
            }
            let retry_after_secs = (start + WINDOW - now).num_seconds().max(1) as u64;
            return Err(ApiError::RateLimited { retry_after_secs });
        }
        taken.push(key);
    }
    Ok(())
}

/// The password was right: the email's failures are forgiven, and the address gets back the
/// attempt [`reserve`] counted (its earlier failures stay counted).
pub fn succeeded(conn: &mut DbConnection, keys: &Keys) -> Result<(), ApiError> {
    sign_in_failures::clear(conn, &keys.email)?;
    sign_in_failures::give_back(conn, &keys.address)?;
    Ok(())
}
