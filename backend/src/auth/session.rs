//! Session tokens, their cookies, and the request facts recorded with them.

use crate::crypto::{random_token, token_hash};
use crate::db::models::NewSession;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::HttpRequest;
use chrono::{Duration, NaiveDateTime};
use std::net::IpAddr;

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
        csrf_token: csrf_token.clone(),
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

/// Whether the client reached us over HTTPS: a TLS listener, or a trusted proxy saying so in the
/// `X-Forwarded-Proto` it adds (its own, last, entry). Anyone else's say-so is ignored.
pub fn is_https(req: &HttpRequest) -> bool {
    if req.app_config().secure() {
        return true;
    }
    let from_trusted_proxy = req.peer_addr().is_some_and(|peer| trusted_proxies(req).contains(&peer.ip()));
    from_trusted_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

fn trusted_proxies(req: &HttpRequest) -> &[IpAddr] {
    req.app_data::<actix_web::web::Data<crate::state::AppState>>()
        .map(|state| state.settings.trusted_proxies.as_slice())
        .unwrap_or_default()
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

/// The client's address: the socket's peer, unless that peer is a trusted proxy; then the
/// nearest `X-Forwarded-For` entry that is not a trusted proxy (entries further left could be forged).
pub fn client_ip(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return "unknown".into() };
    forwarded_client(peer, trusted_proxies(req), req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .to_string()
}

fn forwarded_client(peer: IpAddr, trusted: &[IpAddr], forwarded_for: Option<&str>) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else { return peer };
    let mut client = peer;
    for hop in chain.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            Err(_) => return client,
        }
    }
    client
}

pub fn user_agent(req: &HttpRequest) -> String {
    let ua = req.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    ua.chars().take(256).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_socket_is_the_client() {
        assert_eq!(forwarded_client(ip("10.0.0.1"), &[], Some("203.0.113.9")), ip("10.0.0.1"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(forwarded_client(ip("10.0.0.1"), &proxies, Some("203.0.113.9")), ip("203.0.113.9"));
        // A client cannot forge its address by sending its own header: the proxy appends the real one.
        assert_eq!(
            forwarded_client(ip("10.0.0.1"), &proxies, Some("1.2.3.4, 203.0.113.9, 10.0.0.2")),
            ip("203.0.113.9")
        );
        assert_eq!(forwarded_client(ip("10.0.0.1"), &proxies, None), ip("10.0.0.1"));
        assert_eq!(forwarded_client(ip("10.0.0.1"), &proxies, Some("garbage")), ip("10.0.0.1"));
    }
}
