//! Sign-in throttling: too many failures for one person, or from one address, within a window
//! earn a 429 until the window ends. Every password check goes through here, and so does every
//! second-factor check (counted per user).

use crate::db::{self, devices, sign_in_failures, DbConnection, DbPool};
use crate::error::ApiError;
use chrono::{Duration, NaiveDateTime};

pub const WINDOW: Duration = Duration::minutes(15);
/// Failures allowed per email (or per remembered browser) per window: enough for typos, too few for guessing.
pub const PER_EMAIL: i32 = 10;
/// Failures allowed per address (an IPv6 client's /64) per window: an office behind one NAT is many people.
pub const PER_ADDRESS: i32 = 100;
/// Wrong second-factor codes allowed per user per window, across all their challenges.
pub const SECOND_FACTOR_PER_USER: i32 = 10;

/// The counters one password attempt touches.
#[derive(Clone)]
pub struct Keys {
    person: String,
    address: String,
}

impl Keys {
    /// An attempt for `email` from `address`. A browser that has signed in as this user before
    /// (`device`: its id, when [`recognised_device`] found it) is counted on its own instead of with
    /// the email, so strangers' failures cannot lock the owner out of their own browser (a soft
    /// lock, as Kanidm and GitHub do); the address's limit applies to everyone.
    pub fn new(email_normalized: &str, address: &str, device: Option<&str>) -> Self {
        let person = match device {
            Some(device) => format!("device:{device}"),
            None => format!("email:{email_normalized}"),
        };
        Keys { person, address: format!("ip:{}", crate::rate_limit::network_key(address)) }
    }

    fn with_limits(&self) -> [(&str, i32); 2] {
        [(&self.person, PER_EMAIL), (&self.address, PER_ADDRESS)]
    }
}

/// The id of the browser's remembered device for this user, if the browser has signed in as them.
pub fn recognised_device(conn: &mut DbConnection, device_id: Option<String>) -> Result<Option<String>, ApiError> {
    match device_id {
        Some(id) if devices::exists(conn, &id)? => Ok(Some(id)),
        _ => Ok(None),
    }
}

/// Counts the attempt as a failure before the password is checked, or refuses it while
/// either counter is at its limit. Counting first means concurrent guesses cannot all pass
/// a check that none of them has been counted against yet; [`succeeded`] gives it back.
pub fn reserve(conn: &mut DbConnection, keys: &Keys, now: NaiveDateTime) -> Result<(), ApiError> {
    let mut taken = Vec::new();
    for (key, limit) in keys.with_limits() {
        if let Err(refused) = reserve_one(conn, key, limit, now) {
            for key in taken {
                sign_in_failures::give_back(conn, key)?;
            }
            return Err(refused);
        }
        taken.push(key);
    }
    Ok(())
}

/// Counts one attempt against `key`, or refuses it (429) while `limit` are counted in its window.
pub fn reserve_one(conn: &mut DbConnection, key: &str, limit: i32, now: NaiveDateTime) -> Result<(), ApiError> {
    match sign_in_failures::take(conn, key, limit, now, now - WINDOW)? {
        Some(start) => {
            Err(ApiError::RateLimited { retry_after_secs: (start + WINDOW - now).num_seconds().max(1) as u64 })
        }
        None => Ok(()),
    }
}

/// The password was right: the person's failures are forgiven, and the address gets back the
/// attempt [`reserve`] counted (its earlier failures stay counted).
pub fn succeeded(conn: &mut DbConnection, keys: &Keys) -> Result<(), ApiError> {
    sign_in_failures::clear(conn, &keys.person)?;
    sign_in_failures::give_back(conn, &keys.address)?;
    Ok(())
}

/// `checked`, the outcome of checking a password after [`reserve`]. When the hashing queue refused
/// the check (503), the attempt was no guess: both counts go back, or a flood that fills the
/// queue would lock the owner out with failures they never made.
pub async fn unless_busy<T>(pool: &DbPool, keys: &Keys, checked: Result<T, ApiError>) -> Result<T, ApiError> {
    if let Err(ApiError::ServerBusy { .. }) = &checked {
        let keys = keys.clone();
        db::run(pool, move |conn| {
            sign_in_failures::give_back(conn, &keys.person)?;
            Ok(sign_in_failures::give_back(conn, &keys.address)?)
        })
        .await?;
    }
    checked
}

/// The counter of a user's wrong second-factor codes.
pub fn second_factor_key(user_id: &str) -> String {
    format!("second_factor:{user_id}")
}

/// Uncounts one attempt [`reserve_one`] counted (it turned out right, or was never checked).
pub fn give_back(conn: &mut DbConnection, key: &str) -> Result<(), ApiError> {
    Ok(sign_in_failures::give_back(conn, key)?)
}
