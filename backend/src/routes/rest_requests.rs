//! `POST /api/v1/rest-requests`: an application's REST or SOAP request, sent with the account's client
//! certificate for the host when it has one.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::outbound::{rest, OutboundError};
use crate::routes::certificates::{identity_for, url_host};
use crate::state::AppState;
use actix_web::web;
use shared::paths;
use shared::v1::{RestRequest, RestResponse};
use shared::ErrorBody;

#[utoipa::path(post, path = paths::REST_REQUESTS, tag = "certificates", request_body = RestRequest,
    security(("access_token" = ["rest_requests:write"])),
    responses((status = 200, description = "The remote server's answer, whatever its status", body = RestResponse),
        (status = 422, description = "Bad URL or header", body = ErrorBody),
        (status = 502, description = "The remote server could not be reached (DNS, internal address, TLS \
            handshake, timeout), its answer is over 1 MiB, its body is not of the return type, or its XML nests \
            elements over 256 deep (`answer_too_deeply_nested`); `code` and `error` say which", body = ErrorBody)))]
pub async fn send(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<RestRequest>,
) -> ApiResult<web::Json<RestResponse>> {
    let request = body.into_inner();
    let headers = rest::parse_headers(&request).map_err(|problem| ApiError::field("headers", problem))?;
    let host = url_host(&request.url)?;
    let (certificate, identity) = identity_for(&state, &caller.account.id, &host).await?.unzip();
    let answer = state
        .outbound
        .send(&request.url, identity, |client, url| rest::build(client, url, &request, headers))
        .await
        .map_err(|problem| match problem {
            OutboundError::BadUrl(problem) => ApiError::field("url", problem),
            other => ApiError::Upstream { code: other.code(), message: other.to_string() },
        })?;
    // Parsing up to 1 MiB is CPU work: off the executor.
    let (return_type, raw) = (request.return_type, answer.body);
    let body = web::block(move || rest::parse_body(&raw, return_type))
        .await
        .map_err(|e| ApiError::Unexpected(e.into()))?
        .map_err(|problem| ApiError::Upstream { code: problem.code(), message: problem.to_string() })?;
    let headers = answer
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    Ok(web::Json(RestResponse { status: answer.status.as_u16(), headers, body, client_certificate: certificate }))
}
