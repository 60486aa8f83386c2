//! `POST /api/v1/rest-requests`: the outbound REST (and SOAP) requests that applications make, as the
//! platform's REST module does, presenting the account's client certificate for the host.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RestMethod {
    /// `params` go in the query string.
    #[serde(rename = "GET")]
    Get,
    /// `params` are sent form-encoded.
    #[serde(rename = "POST")]
    Post,
    /// `body` is sent as it is (JSON, XML for SOAP, ...), with the `Content-Type` header given.
    #[serde(rename = "POST RAW")]
    PostRaw,
    /// `body` is sent as it is.
    #[serde(rename = "PUT")]
    Put,
    /// `params` go in the query string.
    #[serde(rename = "DELETE")]
    Delete,
}

/// How the answer's body is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum ReturnType {
    /// Any JSON value.
    Json,
    /// An array of rows, each an array of strings.
    Csv,
    /// `{"name", "attributes", "children", "text"}` for the root element, recursively.
    Xml,
    Text,
    /// The body is ignored; `body` is null.
    Empty,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestRequest {
    pub method: RestMethod,
    pub url: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Name/value pairs: the query string for GET and DELETE, the form for POST.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The raw body for POST RAW and PUT.
    #[serde(default)]
    pub body: Option<String>,
    pub return_type: ReturnType,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    /// The body parsed as `return_type` asked.
    pub body: serde_json::Value,
    /// The certificate domain presented to the server, if one was.
    pub client_certificate: Option<String>,
}
