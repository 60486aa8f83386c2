//! Client certificates: list, add (JSON or multipart upload), delete, and test against their domain.

use crate::audit;
use crate::auth::CurrentUser;
use crate::crypto::SealedAt;
use crate::db::models::{CertificateRow, NewCertificate};
use crate::db::{self, certificates, is_unique_violation};
use crate::domain::{CertDomain, ClientCertificate, PEM_MAX_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::outbound::{self, OutboundError};
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use shared::paths;
use shared::v1::{
    CertificateRequest, CertificateResponse, CertificateStatus, CertificateTestRequest, CertificateTestResponse,
    SecurityEventKind,
};
use shared::ErrorBody;
use shared::ErrorCode;
use uuid::Uuid;

/// A JSON body holds the PEM text escaped, so it may be somewhat larger than the file.
const JSON_BODY_MAX_BYTES: usize = 4 * PEM_MAX_BYTES;
const DOMAIN_FIELD_MAX_BYTES: usize = 1024;

fn certificate_response(row: CertificateRow, created_by: Option<String>) -> CertificateResponse {
    let not_after = row.not_after.and_utc();
    CertificateResponse {
        id: row.id,
        domain: row.domain,
        subject: row.subject,
        issuer: row.issuer,
        not_before: row.not_before.and_utc(),
        not_after,
        status: CertificateStatus::at(not_after, Utc::now()),
        fingerprint_sha256: row.fingerprint_sha256,
        certificate_pem: row.chain_pem,
        created_at: row.created_at.and_utc(),
        created_by,
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such certificate.".into())
}

#[utoipa::path(get, path = paths::CERTIFICATES, tag = "certificates",
    security(("access_token" = ["certificates:read"])),
    responses((status = 200, body = [CertificateResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<CertificateResponse>>> {
    let account_id = caller.account.id;
    let rows = db::run(&state.pool, move |conn| Ok(certificates::list(conn, &account_id)?)).await?;
    Ok(web::Json(rows.into_iter().map(|(row, by)| certificate_response(row, by)).collect()))
}

/// The upload as sent: JSON `{domain, pem}`, or multipart/form-data with `domain` and `file`.
async fn read_upload(request: &HttpRequest, payload: web::Payload) -> ApiResult<(String, Vec<u8>)> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        return read_multipart(Multipart::new(request.headers(), payload)).await;
    }
    if !content_type.starts_with("application/json") {
        return Err(ApiError::UnsupportedMediaType(
            "Send multipart/form-data with domain and file, or JSON {\"domain\", \"pem\"}.".into(),
        ));
    }
    let body = read_limited(payload, JSON_BODY_MAX_BYTES).await?.ok_or(ApiError::PayloadTooLarge)?;
    let request: CertificateRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("The JSON body is not valid: {e}")))?;
    Ok((request.domain, request.pem.into_inner().into_bytes()))
}

/// The stream's bytes, or None once it passes `max`.
async fn read_limited<S, E>(mut stream: S, max: usize) -> ApiResult<Option<Vec<u8>>>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("The request body could not be read: {e}")))?;
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

async fn read_multipart(mut form: Multipart) -> ApiResult<(String, Vec<u8>)> {
    let (mut domain, mut file) = (None, None);
    while let Some(field) = form.next().await {
        let field = field.map_err(|e| ApiError::BadRequest(format!("The form could not be read: {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "domain" => {
                let bytes = read_limited(field, DOMAIN_FIELD_MAX_BYTES).await?.unwrap_or_default();
                domain = Some(String::from_utf8_lossy(&bytes).into_owned());
            }
            // One byte over the limit is enough to say the file is too large.
            "file" | "pem" => {
                file = Some(read_limited(field, PEM_MAX_BYTES).await?.unwrap_or(vec![0; PEM_MAX_BYTES + 1]))
            }
            _ => {
                read_limited(field, 0).await?;
            }
        }
    }
    let file = file.ok_or_else(|| ApiError::field("file", "Choose the .pem file to upload"))?;
    Ok((domain.unwrap_or_default(), file))
}

#[utoipa::path(post, path = paths::CERTIFICATES, tag = "certificates", request_body(content = CertificateRequest,
        description = "JSON, or multipart/form-data with fields `domain` and `file` (the .pem)"),
    security(("access_token" = ["certificates:write"])),
    responses((status = 201, body = CertificateResponse),
        (status = 409, description = "The account already has a certificate for the domain", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "The domain or the file is unusable; `code` says how (pem_is_der, pem_too_large, \
            pem_no_certificate, pem_no_private_key, pem_encrypted_key, private_key_mismatch, certificate_expired, ...)",
            body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: CurrentUser,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (domain, file) = read_upload(&request, payload).await?;
    let domain = CertDomain::parse(&domain).map_err(|problem| ApiError::field("domain", problem))?;
    // Parsing the key and checking it against the certificate is CPU work.
    let parsed = web::block(move || ClientCertificate::parse(&file, Utc::now()))
        .await
        .map_err(|e| ApiError::Unexpected(e.into()))?
        .map_err(|problem| ApiError::Rejected { code: problem.code(), field: "file", message: problem.to_string() })?;
    let id = Uuid::new_v4().to_string();
    let private_key_sealed = state.secrets.seal(parsed.key_pem.as_bytes(), key_place(&id))?;
    let row = NewCertificate {
        id,
        account_id: caller.account.id,
        domain: domain.to_string(),
        subject: parsed.subject,
        issuer: parsed.issuer,
        not_before: parsed.not_before.naive_utc(),
        not_after: parsed.not_after.naive_utc(),
        fingerprint_sha256: parsed.fingerprint_sha256,
        chain_pem: parsed.chain_pem,
        private_key_sealed: private_key_sealed.into(),
        created_at: Utc::now().naive_utc(),
        created_by: Some(caller.user.id.clone()),
    };
    let created_by = Some(caller.user.name.clone());
    let row = db::run_with(&state.pool, move |conn| match certificates::insert(conn, &row) {
        Ok(()) => Ok(row),
        Err(e) if is_unique_violation(&e) => Err(ApiError::Conflict {
            code: ErrorCode::CertificateDomainTaken,
            message: format!("This account already has a certificate for {}. Delete it first.", row.domain),
        }),
        Err(e) => Err(e.into()),
    })
    .await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::CertificateAdded, row.domain.clone()).await;
    Ok(HttpResponse::Created().json(certificate_response(row.into(), created_by)))
}

#[utoipa::path(delete, path = paths::CERTIFICATE, tag = "certificates", params(("id" = String, Path)),
    security(("access_token" = ["certificates:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let domain = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        let found = certificates::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
        certificates::delete(conn, &account_id, &id)?;
        Ok(found.domain)
    })
    .await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::CertificateDeleted, domain).await;
    Ok(HttpResponse::NoContent().finish())
}

/// The identity to present for `host`, from the account's certificates (exact domain, then wildcard).
pub async fn identity_for(
    state: &AppState,
    account_id: &str,
    host: &str,
) -> ApiResult<Option<(String, reqwest::Identity)>> {
    let (account_id, host) = (account_id.to_string(), host.to_string());
    let Some(row) = db::run(&state.pool, move |conn| Ok(certificates::for_host(conn, &account_id, &host)?)).await?
    else {
        return Ok(None);
    };
    let identity = identity_of(state, &row)?;
    Ok(Some((row.domain, identity)))
}

fn key_place(id: &str) -> SealedAt<'_> {
    SealedAt { table: "certificates", column: "private_key_sealed", row: id }
}

/// The stored certificate with its unsealed key, as reqwest presents it.
fn identity_of(state: &AppState, row: &CertificateRow) -> ApiResult<reqwest::Identity> {
    let key = state.secrets.open(row.private_key_sealed.expose(), key_place(&row.id))?;
    Ok(outbound::identity(&row.chain_pem, &key)?)
}

/// An outbound URL's host, or a 422 on `url` that says what is wrong with it.
pub fn url_host(url: &str) -> ApiResult<String> {
    outbound::host_of(url).map_err(|problem| ApiError::field("url", problem.to_string()))
}

#[utoipa::path(post, path = paths::CERTIFICATE_TEST, tag = "certificates", params(("id" = String, Path)),
    request_body = CertificateTestRequest,
    security(("access_token" = ["certificates:write"])),
    responses((status = 200, description = "The outcome, in plain words (ok false when the handshake or request failed)",
        body = CertificateTestResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn test(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: Option<web::Json<CertificateTestRequest>>,
) -> ApiResult<web::Json<CertificateTestResponse>> {
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let row = db::run(&state.pool, move |conn| Ok(certificates::find(conn, &account_id, &id)?))
        .await?
        .ok_or_else(not_found)?;
    let domain = CertDomain::from_stored(row.domain.clone());
    let url = body
        .and_then(|b| b.into_inner().url)
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| format!("https://{}/", domain.base()));
    let host = url_host(&url)?;
    if !(domain.covers(&host) || host.eq_ignore_ascii_case(domain.base())) {
        return Err(ApiError::field("url", format!("The URL's host {host} is not covered by {domain}")));
    }
    let outcome = state.outbound.send(&url, Some(identity_of(&state, &row)?), |client, url| client.get(url)).await;
    Ok(web::Json(match outcome {
        Ok(answer) => CertificateTestResponse {
            ok: true,
            message: format!(
                "The TLS handshake succeeded with the certificate for {domain} presented, and the server answered {}.",
                answer.status
            ),
            status: Some(answer.status.as_u16()),
            url,
        },
        Err(OutboundError::BadUrl(problem)) => return Err(ApiError::field("url", problem)),
        Err(problem) => CertificateTestResponse { ok: false, message: problem.to_string(), status: None, url },
    }))
}
