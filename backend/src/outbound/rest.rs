//! The platform's REST module: a [`RestRequest`] made into a reqwest request, and the answer's body
//! parsed as its return type asks.

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Client, Method, RequestBuilder, Url};
use serde_json::{json, Map, Value};
use shared::v1::{RestMethod, RestRequest, ReturnType};

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

/// The body as the return type asks; a body that is not what was asked for is a problem to report.
pub fn parse_body(body: &[u8], return_type: ReturnType) -> Result<Value, String> {
    let text = || String::from_utf8(body.to_vec()).map_err(|_| "The answer is not UTF-8 text".to_string());
    match return_type {
        ReturnType::Empty => Ok(Value::Null),
        ReturnType::Text => text().map(Value::String),
        ReturnType::Json => serde_json::from_slice(body).map_err(|e| format!("The answer is not JSON: {e}")),
        ReturnType::Csv => {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
            let rows = reader
                .records()
                .map(|row| row.map(|r| Value::from(r.iter().map(Value::from).collect::<Vec<_>>())))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("The answer is not CSV: {e}"))?;
            Ok(Value::Array(rows))
        }
        ReturnType::Xml => {
            let text = text()?;
            let document = roxmltree::Document::parse(&text).map_err(|e| format!("The answer is not XML: {e}"))?;
            Ok(element(document.root_element()))
        }
    }
}

fn element(node: roxmltree::Node<'_, '_>) -> Value {
    let attributes: Map<String, Value> =
        node.attributes().map(|a| (a.name().to_string(), Value::from(a.value()))).collect();
    let children: Vec<Value> = node.children().filter(|c| c.is_element()).map(element).collect();
    let text: String = node.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
    json!({"name": node.tag_name().name(), "attributes": attributes, "children": children, "text": text.trim()})
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(parse_body(b"{", ReturnType::Json).unwrap_err().contains("not JSON"));
        assert!(parse_body(b"<a>", ReturnType::Xml).unwrap_err().contains("not XML"));
        assert!(parse_body(&[0xff, 0xfe], ReturnType::Text).is_err());
    }
}
