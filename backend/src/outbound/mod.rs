//! Outbound HTTP for applications' REST/SOAP requests and certificate tests: reqwest with rustls,
//! presenting the account's client certificate for the host, refusing internal addresses, and
//! bounded in time and size.

mod address;
mod failure;
pub mod rest;
mod xml;

pub use address::AddressPolicy;

use crate::config::OutboundSettings;
use reqwest::header::HeaderMap;
use reqwest::{Client, Identity, RequestBuilder, StatusCode, Url};
use shared::ErrorCode;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// The most of an answer's body that is read.
pub const ANSWER_MAX_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("The URL is not valid: {0}.")]
    BadUrl(String),
    #[error("{0} could not be resolved to an address.")]
    Dns(String),
    #[error("{host} resolves only to internal addresses ({addresses}), which outbound requests may not reach.")]
    InternalAddress { host: String, addresses: String },
    #[error("Could not connect to {0}.")]
    Connect(String),
    #[error("{0}")]
    Tls(String),
    #[error("No complete answer within {0} seconds.")]
    Timeout(u64),
    #[error("The answer is larger than 1 MiB.")]
    TooLarge,
    #[error("The request failed: {0}.")]
    Other(String),
}

impl OutboundError {
    pub fn code(&self) -> ErrorCode {
        match self {
            OutboundError::BadUrl(_) => ErrorCode::BadUrl,
            OutboundError::Dns(_) => ErrorCode::DnsFailed,
            OutboundError::InternalAddress { .. } => ErrorCode::InternalAddress,
            OutboundError::Connect(_) => ErrorCode::ConnectFailed,
            OutboundError::Tls(_) => ErrorCode::TlsHandshakeFailed,
            OutboundError::Timeout(_) => ErrorCode::Timeout,
            OutboundError::TooLarge => ErrorCode::AnswerTooLarge,
            OutboundError::Other(_) => ErrorCode::RequestFailed,
        }
    }
}

/// What came back: status, headers and the (size-limited) body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

pub struct Outbound {
    policy: AddressPolicy,
    roots: Vec<reqwest::Certificate>,
    timeout: Duration,
}

impl Outbound {
    pub fn new(settings: &OutboundSettings) -> anyhow::Result<Self> {
        let roots = match &settings.extra_roots_pem {
            Some(pem) => reqwest::Certificate::from_pem_bundle(pem.as_bytes())?,
            None => Vec::new(),
        };
        Ok(Outbound { policy: AddressPolicy::new(settings.allow.clone()), roots, timeout: settings.timeout })
    }

    /// Sends what `build` makes of a client and the URL, after checking where the URL leads.
    /// `identity` is the client certificate to present, if the account has one for the host.
    pub async fn send(
        &self,
        url: &str,
        identity: Option<Identity>,
        build: impl FnOnce(&Client, Url) -> RequestBuilder,
    ) -> Result<Answer, OutboundError> {
        let url = parse_url(url)?;
        let host = url.host_str().unwrap_or_default().to_string();
        let addresses = self.permitted_addresses(&url).await?;
        let mut client = Client::builder()
            .use_rustls_tls()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.timeout);
        if url.domain().is_some() {
            // Pinned: the connection goes to the addresses just checked, not to a second lookup.
            client = client.resolve_to_addrs(&host, &addresses);
        }
        for root in &self.roots {
            client = client.add_root_certificate(root.clone());
        }
        if let Some(identity) = identity {
            client = client.identity(identity);
        }
        let client = client.build().map_err(|e| {
            tracing::error!(error = %e, "the outbound client could not be built");
            OutboundError::Other("the request could not be prepared".into())
        })?;
        let mut response = build(&client, url).send().await.map_err(|e| self.explain(&host, e))?;
        let (status, headers) = (response.status(), response.headers().clone());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(&host, e))? {
            if body.len() + chunk.len() > ANSWER_MAX_BYTES {
                return Err(OutboundError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, headers, body })
    }

    async fn permitted_addresses(&self, url: &Url) -> Result<Vec<SocketAddr>, OutboundError> {
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(443);
        let resolved: Vec<SocketAddr> = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => {
                tokio::net::lookup_host((host, port)).await.map_err(|_| OutboundError::Dns(host.to_string()))?.collect()
            }
        };
        let permitted: Vec<SocketAddr> = resolved.iter().copied().filter(|a| self.policy.permits(a.ip())).collect();
        match (resolved.is_empty(), permitted.is_empty()) {
            (true, _) => Err(OutboundError::Dns(host.to_string())),
            (false, true) => Err(OutboundError::InternalAddress {
                host: host.to_string(),
                addresses: resolved.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>().join(", "),
            }),
            (false, false) => Ok(permitted),
        }
    }

    fn explain(&self, host: &str, error: reqwest::Error) -> OutboundError {
        if error.is_timeout() {
            return OutboundError::Timeout(self.timeout.as_secs());
        }
        if let Some(tls) = failure::tls_error(&error) {
            return OutboundError::Tls(failure::describe_tls(tls));
        }
        if error.is_connect() {
            return OutboundError::Connect(format!("{host} ({})", failure::innermost(&error)));
        }
        OutboundError::Other(failure::innermost(&error))
    }
}

/// The host an outbound URL goes to, checked as `send` checks it.
pub fn host_of(url: &str) -> Result<String, OutboundError> {
    Ok(parse_url(url)?.host_str().unwrap_or_default().to_ascii_lowercase())
}

fn parse_url(url: &str) -> Result<Url, OutboundError> {
    let parsed = Url::parse(url.trim()).map_err(|e| OutboundError::BadUrl(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(OutboundError::BadUrl("use an http:// or https:// URL".into()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(OutboundError::BadUrl("it names no host".into()));
    }
    Ok(parsed)
}

/// The client certificate as reqwest presents it: the chain followed by the key, PEM.
pub fn identity(chain_pem: &str, key_pem: &[u8]) -> anyhow::Result<Identity> {
    let mut pem = chain_pem.as_bytes().to_vec();
    pem.extend_from_slice(key_pem);
    Ok(Identity::from_pem(&pem)?)
}
