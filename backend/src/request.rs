//! What a request says of who sent it: the client's address and whether it came over HTTPS (both
//! through the trusted proxies, app data of their own), and the browser. It names no other module,
//! so every layer that records a request can use it.

use actix_web::HttpRequest;
use std::net::IpAddr;
use std::sync::Arc;

/// The proxies whose `X-Forwarded-For` is believed (`KEYDESK_TRUSTED_PROXIES`), as app data.
#[derive(Clone, Default)]
pub struct TrustedProxies(pub Arc<[IpAddr]>);

fn trusted(req: &HttpRequest) -> &[IpAddr] {
    req.app_data::<TrustedProxies>().map(|t| &t.0[..]).unwrap_or_default()
}

/// Whether the client reached us over HTTPS: a TLS listener, or a trusted proxy saying so in the
/// `X-Forwarded-Proto` it adds (its own, last, entry). Anyone else's say-so is ignored.
pub fn is_https(req: &HttpRequest) -> bool {
    if req.app_config().secure() {
        return true;
    }
    let from_trusted_proxy = req.peer_addr().is_some_and(|peer| trusted(req).contains(&peer.ip()));
    from_trusted_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The client's address: the socket's peer, unless that peer is a trusted proxy; then the
/// nearest `X-Forwarded-For` entry that is not a trusted proxy (entries further left could be forged).
pub fn client_ip(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return "unknown".into() };
    forwarded_client(peer, trusted(req), req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok())).to_string()
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

/// The browser as it names itself, cut to 256 characters.
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
