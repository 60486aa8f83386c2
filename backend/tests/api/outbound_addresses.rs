//! Server-side request forgery through addresses that hide an internal IPv4 address inside IPv6, or that
//! sit in ranges no public server uses: each is refused before any connection is made.

use crate::helpers::{error_body, spawn_app_with};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn internal_addresses_wrapped_in_ipv6_or_in_reserved_ranges_are_refused() {
    let app = spawn_app_with(|s| s.outbound.timeout = Duration::from_secs(1)).await;
    app.signed_up("mallory@example.com").await;
    for url in [
        // NAT64 of 127.0.0.1 and of the cloud metadata address
        "http://[64:ff9b::7f00:1]:8080/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        // 6to4 of 127.0.0.1 and 10.0.0.1
        "http://[2002:7f00:1::1]/",
        "http://[2002:a00:1::]/",
        // IPv4-compatible 127.0.0.1
        "http://[::127.0.0.1]/",
        // site-local
        "http://[fec0::1]/",
        // benchmarking and reserved IPv4
        "http://198.18.0.1/",
        "http://240.0.0.1/",
    ] {
        let response =
            app.post("/api/v1/rest-requests", json!({"method": "GET", "url": url, "return_type": "TEXT"})).await;
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{url}");
        assert_eq!(error_body(response).await.code, "internal_address", "{url}");
    }
}
