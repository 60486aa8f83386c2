//! Integrations: every user of the account lists them; admins add, edit and delete. Secret fields are
//! write-only: sealed at rest, never returned, replaced only when a new value is sent.

use crate::audit;
use crate::auth::{AdminUser, CurrentUser};
use crate::crypto::SealedAt;
use crate::db::models::{IntegrationRow, NewIntegration};
use crate::db::{self, integrations, is_unique_violation};
use crate::domain::FieldCheck;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{ApplicationRef, IntegrationRequest, IntegrationResponse, SecurityEventKind};
use shared::validate::{parse_name, NAME_MAX_CHARS};
use shared::ErrorBody;
use shared::ErrorCode;
use std::collections::BTreeMap;
use uuid::Uuid;

fn secrets_place(id: &str) -> SealedAt<'_> {
    SealedAt { table: "integrations", column: "secrets_sealed", row: id }
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such integration.".into())
}

type Uses = Vec<(String, String, String)>;

fn integration_response(row: IntegrationRow, created_by: Option<String>, uses: &Uses) -> IntegrationResponse {
    IntegrationResponse {
        config: serde_json::from_str(&row.config).unwrap_or_default(),
        // Every secret field is required when the integration is added, so all are set.
        secrets_set: row.kind.fields().iter().filter(|f| f.secret).map(|f| f.name.to_string()).collect(),
        used_by: uses
            .iter()
            .filter(|(integration, ..)| *integration == row.id)
            .map(|(_, id, name)| ApplicationRef { id: id.clone(), name: name.clone() })
            .collect(),
        id: row.id,
        name: row.name,
        kind: row.kind,
        created_by,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}

/// A checked request: the name, and the type's fields split into public and secret.
struct Checked {
    name: String,
    public: BTreeMap<String, String>,
    secrets: BTreeMap<String, String>,
}

/// Checks a request. A secret left out is taken from `kept` (the stored secrets) when there are any.
fn parse(body: IntegrationRequest, kept: Option<&BTreeMap<String, String>>) -> ApiResult<Checked> {
    let mut check = FieldCheck::default();
    let name = check.take("name", parse_name(&body.name, NAME_MAX_CHARS).map_err(|e| vec![e]));
    let (mut public, mut secrets) = (BTreeMap::new(), BTreeMap::new());
    for field in body.kind.fields() {
        let given = body.config.get(field.name).map(|v| v.expose().trim()).filter(|v| !v.is_empty());
        let value = match (given, field.secret, kept.and_then(|k| k.get(field.name))) {
            (Some(value), ..) => value.to_string(),
            (None, true, Some(stored)) => stored.clone(),
            (None, ..) => {
                check.note(&format!("config.{}", field.name), format!("Enter the {}", field.label.to_lowercase()));
                continue;
            }
        };
        if let Err(problem) = (field.check)(&value) {
            check.note(&format!("config.{}", field.name), problem);
            continue;
        }
        match field.secret {
            true => secrets.insert(field.name.to_string(), value),
            false => public.insert(field.name.to_string(), value),
        };
    }
    if let Some(unknown) = body.config.keys().find(|k| !body.kind.fields().iter().any(|f| f.name == k.as_str())) {
        check.note("config", format!("{unknown} is not a field of a {} integration", body.kind.label()));
    }
    let Some(name) = name else { return Err(check.into_error().into()) };
    check.finish()?;
    Ok(Checked { name, public, secrets })
}

fn name_taken(e: diesel::result::Error) -> ApiError {
    match is_unique_violation(&e) {
        true => ApiError::Conflict {
            code: ErrorCode::IntegrationNameTaken,
            message: "This account already has an integration with that name.".into(),
        },
        false => e.into(),
    }
}

fn json(value: &BTreeMap<String, String>) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::Unexpected(e.into()))
}

async fn respond(state: &AppState, account_id: String, id: String) -> ApiResult<IntegrationResponse> {
    db::run_with(&state.pool, move |conn| {
        let uses = integrations::uses(conn, &account_id)?;
        integrations::list(conn, &account_id)?
            .into_iter()
            .find(|(row, _)| row.id == id)
            .map(|(row, by)| integration_response(row, by, &uses))
            .ok_or_else(not_found)
    })
    .await
}

#[utoipa::path(get, path = paths::INTEGRATIONS, tag = "integrations",
    security(("access_token" = ["integrations:read"])),
    responses((status = 200, body = [IntegrationResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<IntegrationResponse>>> {
    let account_id = caller.account.id;
    let list = db::run(&state.pool, move |conn| {
        let uses = integrations::uses(conn, &account_id)?;
        let rows = integrations::list(conn, &account_id)?;
        Ok(rows.into_iter().map(|(row, by)| integration_response(row, by, &uses)).collect())
    })
    .await?;
    Ok(web::Json(list))
}

#[utoipa::path(post, path = paths::INTEGRATIONS, tag = "integrations", request_body = IntegrationRequest,
    security(("access_token" = ["integrations:write"])),
    responses((status = 201, body = IntegrationResponse), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    request: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    body: web::Json<IntegrationRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let kind = body.kind;
    let Checked { name, public, secrets } = parse(body, None)?;
    let now = Utc::now().naive_utc();
    let id = Uuid::new_v4().to_string();
    let secrets_sealed = state.secrets.seal(json(&secrets)?.as_bytes(), secrets_place(&id))?;
    let row = NewIntegration {
        id: id.clone(),
        account_id: caller.account.id.clone(),
        name_normalized: name.to_lowercase(),
        name,
        kind,
        config: json(&public)?,
        secrets_sealed: secrets_sealed.into(),
        created_at: now,
        created_by: Some(caller.user.id.clone()),
        updated_at: now,
    };
    db::run_with(&state.pool, move |conn| integrations::insert(conn, &row).map_err(name_taken)).await?;
    let created = respond(&state, caller.account.id.clone(), id).await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::IntegrationAdded, created.name.clone()).await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(put, path = paths::INTEGRATION, tag = "integrations", params(("id" = String, Path)),
    request_body = IntegrationRequest,
    security(("access_token" = ["integrations:write"])),
    responses((status = 200, body = IntegrationResponse), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    request: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
    body: web::Json<IntegrationRequest>,
) -> ApiResult<web::Json<IntegrationResponse>> {
    let (account_id, id, body) = (caller.account.id.clone(), id.into_inner(), body.into_inner());
    let (lookup_account, lookup_id) = (account_id.clone(), id.clone());
    let mut row = db::run(&state.pool, move |conn| Ok(integrations::find(conn, &lookup_account, &lookup_id)?))
        .await?
        .ok_or_else(not_found)?;
    // Stored secrets carry over only while the type stays the same.
    let stored: BTreeMap<String, String> = match row.kind == body.kind {
        true => serde_json::from_slice(&state.secrets.open(row.secrets_sealed.expose(), secrets_place(&row.id))?)
            .unwrap_or_default(),
        false => BTreeMap::new(),
    };
    let kind = body.kind;
    let Checked { name, public, secrets } = parse(body, Some(&stored))?;
    row.name_normalized = name.to_lowercase();
    row.name = name;
    row.kind = kind;
    row.config = json(&public)?;
    row.secrets_sealed = state.secrets.seal(json(&secrets)?.as_bytes(), secrets_place(&row.id))?.into();
    row.updated_at = Utc::now().naive_utc();
    db::run_with(&state.pool, move |conn| integrations::update(conn, &row).map_err(name_taken)).await?;
    let updated = respond(&state, account_id, id).await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::IntegrationChanged, updated.name.clone()).await;
    Ok(web::Json(updated))
}

#[utoipa::path(delete, path = paths::INTEGRATION, tag = "integrations", params(("id" = String, Path)),
    security(("access_token" = ["integrations:write"])),
    responses((status = 204, description = "Deleted; applications using it no longer do"),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let name = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        let integration = integrations::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
        integrations::delete(conn, &id)?;
        Ok(integration.name)
    })
    .await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::IntegrationDeleted, name).await;
    Ok(HttpResponse::NoContent().finish())
}
