//! Stripe Connect OAuth: the authorize URL, the code-for-token exchange and deauthorization.
//! Request and answer shapes follow Stripe's documentation of `connect.stripe.com/oauth/*`.

use crate::config::StripeSettings;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use shared::v1::TokenType;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("{0} Stripe tokens are not configured on this server.")]
    NotConfigured(&'static str),
    /// Stripe answered with its `{error, error_description}`.
    #[error("Stripe refused: {description} ({code}).")]
    Refused { code: String, description: String },
    #[error("Stripe could not be reached: {0}.")]
    Unreachable(String),
}

/// What the token endpoint grants.
#[derive(Debug, Deserialize)]
pub struct Grant {
    pub access_token: shared::Secret,
    #[serde(default)]
    pub refresh_token: shared::Secret,
    pub stripe_user_id: String,
    pub livemode: bool,
    #[serde(default)]
    pub scope: String,
}

#[derive(Deserialize)]
struct StripeErrorBody {
    error: String,
    #[serde(default)]
    error_description: String,
}

pub struct Stripe {
    settings: StripeSettings,
    http: reqwest::Client,
}

impl Stripe {
    pub fn new(settings: StripeSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(15)).use_rustls_tls().build()?;
        Ok(Stripe { settings, http })
    }

    fn credentials(&self, token_type: TokenType) -> Result<(&str, &SecretString), StripeError> {
        let (client_id, secret) = match token_type {
            TokenType::Live => (&self.settings.live_client_id, &self.settings.live_secret_key),
            TokenType::Test => (&self.settings.test_client_id, &self.settings.test_secret_key),
        };
        match (client_id, secret) {
            (Some(id), Some(secret)) => Ok((id, secret)),
            _ => Err(StripeError::NotConfigured(token_type.label())),
        }
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}/oauth/{path}", self.settings.connect_url.trim_end_matches('/'))
    }

    pub fn authorize_url(&self, token_type: TokenType, state: &str, redirect_uri: &str) -> Result<String, StripeError> {
        let (client_id, _) = self.credentials(token_type)?;
        let mut url = Url::parse(&self.endpoint("authorize"))
            .map_err(|_| StripeError::Unreachable("its address (KEYDESK_STRIPE_CONNECT_URL) is not a URL".into()))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("scope", "read_write")
            .append_pair("state", state)
            .append_pair("redirect_uri", redirect_uri);
        Ok(url.into())
    }

    /// Exchanges the authorization code, authenticating with the type's secret key.
    pub async fn exchange(&self, token_type: TokenType, code: &str) -> Result<Grant, StripeError> {
        let (_, secret) = self.credentials(token_type)?;
        let form = [("grant_type", "authorization_code"), ("code", code)];
        self.post("token", secret, &form).await
    }

    /// Revokes Keydesk's access to the connected account.
    pub async fn deauthorize(&self, token_type: TokenType, stripe_user_id: &str) -> Result<(), StripeError> {
        let (client_id, secret) = self.credentials(token_type)?;
        let form = [("client_id", client_id), ("stripe_user_id", stripe_user_id)];
        self.post::<serde_json::Value>("deauthorize", secret, &form).await.map(|_| ())
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        secret: &SecretString,
        form: &[(&str, &str)],
    ) -> Result<T, StripeError> {
        let response = self
            .http
            .post(self.endpoint(path))
            .bearer_auth(secret.expose_secret())
            .form(form)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(unreachable)?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|e| {
                tracing::warn!(error = %e, "Stripe's answer could not be read");
                StripeError::Unreachable("its answer could not be read".into())
            });
        }
        match serde_json::from_slice::<StripeErrorBody>(&body) {
            Ok(e) => Err(StripeError::Refused { code: e.error, description: e.error_description }),
            Err(_) => Err(StripeError::Unreachable(format!("it answered {status}"))),
        }
    }
}

/// The failure in our words, for the user; reqwest's own text (hosts, URLs, internals) goes to the log.
fn unreachable(error: reqwest::Error) -> StripeError {
    let what = if error.is_timeout() {
        "it did not answer in time"
    } else if error.is_connect() {
        "no connection could be made"
    } else {
        "the connection failed"
    };
    tracing::warn!(error = %error.without_url(), "a request to Stripe failed");
    StripeError::Unreachable(what.into())
}
