//! A typed, blocking client over the shared `v1` DTOs.

use serde::de::DeserializeOwned;
use shared::key_format::{ACCESS_TOKEN, DEVELOPER_KEY};
use shared::ErrorBody;

pub struct Client {
    base: String,
    key: String,
    http: reqwest::blocking::Client,
}

impl Client {
    /// Checks the key's checksum first, so a mistyped key is reported without a request. A personal
    /// access token (`kdt_…`) works as well as the developer key, within its scopes.
    pub fn new(base: &str, key: &str) -> Result<Client, String> {
        let format = if key.trim().starts_with(ACCESS_TOKEN.prefix) { ACCESS_TOKEN } else { DEVELOPER_KEY };
        format.check(key.trim()).map_err(|e| e.message())?;
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("keydesk-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("could not start the HTTP client: {e}"))?;
        Ok(Client { base: base.trim_end_matches('/').to_string(), key: key.trim().to_string(), http })
    }

    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        let response = self.send(self.http.get(self.url(path)))?;
        response.json().map_err(|e| format!("the server's answer could not be read: {e}"))
    }

    pub fn post<B: serde::Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, String> {
        let response = self.send(self.http.post(self.url(path)).json(body))?;
        response.json().map_err(|e| format!("the server's answer could not be read: {e}"))
    }

    pub fn delete(&self, path: &str) -> Result<(), String> {
        self.send(self.http.delete(self.url(path))).map(|_| ())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Result<reqwest::blocking::Response, String> {
        let response =
            request.bearer_auth(&self.key).send().map_err(|e| format!("could not reach {}: {e}", self.base))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        match response.json::<ErrorBody>() {
            Ok(body) => Err(format!("{} ({status})", body.error)),
            Err(_) => Err(format!("the server answered {status}")),
        }
    }
}
