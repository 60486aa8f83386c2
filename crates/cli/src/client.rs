//! A typed, blocking client over the shared `v1` DTOs.

use serde::de::DeserializeOwned;
use shared::v1::check_developer_key_format;
use shared::ErrorBody;

pub struct Client {
    base: String,
    key: String,
    http: reqwest::blocking::Client,
}

impl Client {
    /// Checks the key's checksum first, so a mistyped key is reported without a request.
    pub fn new(base: &str, key: &str) -> Result<Client, String> {
        check_developer_key_format(key.trim()).map_err(|e| e.message().to_string())?;
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
