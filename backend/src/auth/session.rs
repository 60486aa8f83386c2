//! Session tokens, their cookies, and the request facts recorded with them.

use crate::crypto::{random_token, token_hash};
use crate::db::models::NewSession;
use crate::request::{client_ip, is_https, user_agent};
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::HttpRequest;
use chrono::{Duration, NaiveDateTime};

pub const SESSION_COOKIE: &str = "keydesk_session";
/// Readable by the SPA, which echoes it in [`CSRF_HEADER`] (double-submit).
pub const CSRF_COOKIE: &str = "keydesk_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session unused this long ends.
pub const IDLE_TIMEOUT: Duration = Duration::hours(12);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(7);
/// Identifies the browser across sign-ins (for unrecognized-device notices).
pub const DEVICE_COOKIE: &str = "keydesk_device";
const DEVICE_REMEMBERED_FOR: Duration = Duration::days(365);
/// `last_seen_at` is written at most this often, so reads stay reads.
pub const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// A new session: the secrets for the client and the row to store (which holds only the token's hash).
pub struct IssuedSession {
    pub token: String,
    pub csrf_token: String,
    pub row: NewSession,
}

pub fn issue(user_id: &str, req: &HttpRequest, now: NaiveDateTime, method: shared::v1::AuthMethod) -> IssuedSession {
    let token = random_token();
    let csrf_token = random_token();
    let row = NewSession {
        id: token_hash(&token),
        user_id: user_id.to_string(),
        csrf_token: csrf_token.clone().into(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + ABSOLUTE_TIMEOUT,
        password_checked_at: now,
        ip: client_ip(req),
        user_agent: user_agent(req),
        auth_method: method,
    };
    IssuedSession { token, csrf_token, row }
}

/// A remembered browser's id for one user: its device token bound to the user, so one browser
/// is a different device for each user who signs in on it.
pub fn device_id(device_token: &str, user_id: &str) -> String {
    token_hash(&format!("{device_token}:{user_id}"))
}

/// The device token the browser presents, if it looks like one we issued.
pub fn device_token(req: &HttpRequest) -> Option<String> {
    req.cookie(DEVICE_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() >= 40)
}

/// [`device_id`] of the calling browser for `user_id`, when it presents a device token.
pub fn caller_device_id(req: &HttpRequest, user_id: &str) -> Option<String> {
    device_token(req).map(|token| device_id(&token, user_id))
}

/// The session cookie (HttpOnly) and the CSRF cookie (readable by the SPA).
pub fn cookies(req: &HttpRequest, token: &str, csrf_token: &str) -> [Cookie<'static>; 2] {
    let max_age = time::Duration::seconds(ABSOLUTE_TIMEOUT.num_seconds());
    let session = Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(is_https(req))
        .max_age(max_age)
        .finish();
    let csrf = Cookie::build(CSRF_COOKIE, csrf_token.to_string())
        .path("/")
        .same_site(SameSite::Lax)
        .secure(is_https(req))
        .max_age(max_age)
        .finish();
    [session, csrf]
}

/// The long-lived device cookie; HttpOnly, it is only ever read by the server.
pub fn device_cookie(req: &HttpRequest, token: &str) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(is_https(req))
        .max_age(time::Duration::seconds(DEVICE_REMEMBERED_FOR.num_seconds()))
        .finish()
}

/// Cookies that make the browser forget both.
pub fn removal_cookies() -> [Cookie<'static>; 2] {
    [SESSION_COOKIE, CSRF_COOKIE].map(|name| {
        let mut c = Cookie::build(name, "").path("/").finish();
        c.make_removal();
        c
    })
}
