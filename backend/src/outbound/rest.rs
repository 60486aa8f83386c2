//! The platform's REST module: a [`RestRequest`] made into a reqwest request, and the answer's body
//! parsed as its return type asks.

use super::xml::{self, XmlProblem};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Client, Method, RequestBuilder, Url};
use serde_json::Value;
use shared::v1::{RestMethod, RestRequest, ReturnType};
use shared::ErrorCode;

/// Checks the headers, so a bad one is a 422 before anything is sent.
pub fn parse_headers(request: &RestRequest) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    request
        .headers
        .iter()
        .map(|(name, value)| {
            let name = HeaderName::try_from(name.as_str()).map_err(|_| format!("\"{name}\" is not a header name"))?;
            let value =
                HeaderValue::try_from(value.as_str()).map_err(|_| format!("The value of {name} is not valid"))?;
            Ok((name, value))
        })
        .collect()
}

/// The request as it is sent: params in the query (GET, DELETE) or as a form (POST); the raw body
/// for POST RAW and PUT.
pub fn build(
    client: &Client,
    mut url: Url,
    request: &RestRequest,
    headers: Vec<(HeaderName, HeaderValue)>,
) -> RequestBuilder {
    let method = match request.method {
        RestMethod::Get => Method::GET,
        RestMethod::Post | RestMethod::PostRaw => Method::POST,
        RestMethod::Put => Method::PUT,
        RestMethod::Delete => Method::DELETE,
    };
    if matches!(request.method, RestMethod::Get | RestMethod::Delete) && !request.params.is_empty() {
        url.query_pairs_mut().extend_pairs(&request.params);
    }
    let mut builder = client.request(method, url);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    match request.method {
        RestMethod::Post => builder.form(&request.params),
        RestMethod::PostRaw | RestMethod::Put => builder.body(request.body.clone().unwrap_or_default()),
        RestMethod::Get | RestMethod::Delete => builder,
    }
}

/// Why an answer's body could not be given as its return type.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("{0}")]
    NotOfReturnType(String),
    #[error("The answer nests elements more than {} deep, which is refused.", xml::MAX_DEPTH)]
    TooDeep,
}

impl BodyError {
    pub fn code(&self) -> ErrorCode {
        match self {
            BodyError::NotOfReturnType(_) => ErrorCode::AnswerNotOfReturnType,
            BodyError::TooDeep => ErrorCode::AnswerTooDeeplyNested,
        }
    }
}

/// The body as the return type asks; a body that is not what was asked for is a problem to report.
pub fn parse_body(body: &[u8], return_type: ReturnType) -> Result<Value, BodyError> {
    let not = BodyError::NotOfReturnType;
    let text = || String::from_utf8(body.to_vec()).map_err(|_| not("The answer is not UTF-8 text".into()));
    match return_type {
        ReturnType::Empty => Ok(Value::Null),
        ReturnType::Text => text().map(Value::String),
        ReturnType::Json => serde_json::from_slice(body).map_err(|e| not(format!("The answer is not JSON: {e}"))),
        ReturnType::Csv => {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
            let rows = reader
                .records()
                .map(|row| row.map(|r| Value::from(r.iter().map(Value::from).collect::<Vec<_>>())))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| not(format!("The answer is not CSV: {e}")))?;
            Ok(Value::Array(rows))
        }
        ReturnType::Xml => xml::to_json(&text()?).map_err(|problem| match problem {
            XmlProblem::TooDeep => BodyError::TooDeep,
            XmlProblem::Invalid(e) => not(format!("The answer is not XML: {e}")),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_parsed_as_their_return_type() {
        assert_eq!(parse_body(br#"{"a": [1]}"#, ReturnType::Json).unwrap(), json!({"a": [1]}));
        assert_eq!(parse_body(b"a,b\n1,\"x,y\"\n", ReturnType::Csv).unwrap(), json!([["a", "b"], ["1", "x,y"]]));
        assert_eq!(
            parse_body(b"<r id=\"7\"><v>hi</v></r>", ReturnType::Xml).unwrap(),
            json!({"name": "r", "attributes": {"id": "7"}, "text": "", "children": [
                {"name": "v", "attributes": {}, "children": [], "text": "hi"}
            ]})
        );
        assert_eq!(parse_body(b"plain", ReturnType::Text).unwrap(), json!("plain"));
        assert_eq!(parse_body(b"ignored", ReturnType::Empty).unwrap(), Value::Null);
        assert!(parse_body(b"{", ReturnType::Json).unwrap_err().to_string().contains("not JSON"));
        assert!(parse_body(b"<a>", ReturnType::Xml).unwrap_err().to_string().contains("not XML"));
        assert!(parse_body(&[0xff, 0xfe], ReturnType::Text).is_err());
    }
}
