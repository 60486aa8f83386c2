//! Applications: name, description, and the JS libraries their settings use.

use crate::auth::CurrentUser;
use crate::db::models::{ApplicationRow, NewApplication};
use crate::db::{self, applications, deployments, integrations, js_libraries, DbConnection};
use crate::domain::FieldCheck;
use crate::error::{ApiError, ApiResult};
use crate::routes::deployments::deployment_response;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use diesel::Connection;
use shared::paths;
use shared::v1::{ApplicationRequest, ApplicationResponse};
use shared::validate::{parse_description, parse_name, NAME_MAX_CHARS};
use shared::ErrorBody;
use uuid::Uuid;

/// The checked fields of a request.
struct Application {
    name: String,
    description: String,
    library_ids: Vec<String>,
    /// None: keep the integrations as they are.
    integration_ids: Option<Vec<String>>,
}

fn parse(body: ApplicationRequest) -> Result<Application, ApiError> {
    let mut check = FieldCheck::default();
    let name = check.take("name", parse_name(&body.name, NAME_MAX_CHARS).map_err(|e| vec![e]));
    let description = check.take("description", parse_description(&body.description).map_err(|e| vec![e]));
    let mut library_ids = Vec::new();
    for id in body.library_ids {
        if !library_ids.contains(&id) {
            library_ids.push(id);
        }
    }
    let integration_ids = body.integration_ids.map(|ids| {
        let mut unique: Vec<String> = Vec::new();
        ids.into_iter().for_each(|id| {
            if !unique.contains(&id) {
                unique.push(id)
            }
        });
        unique
    });
    match (name, description) {
        (Some(name), Some(description)) => Ok(Application { name, description, library_ids, integration_ids }),
        _ => Err(check.into_error().into()),
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such application.".into())
}

/// Libraries must be the account's own (another account's do not exist for it).
fn check_libraries(conn: &mut DbConnection, account_id: &str, ids: &[String]) -> Result<(), ApiError> {
    if js_libraries::count_owned(conn, account_id, ids)? != i64::try_from(ids.len()).unwrap_or(i64::MAX) {
        return Err(ApiError::field("library_ids", "One of these JS libraries does not exist"));
    }
    Ok(())
}

/// Sets the integrations the application uses, when the request names them; they must be the account's.
fn set_integrations(
    conn: &mut DbConnection,
    account_id: &str,
    application_id: &str,
    ids: Option<&[String]>,
) -> Result<(), ApiError> {
    let Some(ids) = ids else { return Ok(()) };
    if integrations::count_owned(conn, account_id, ids)? != i64::try_from(ids.len()).unwrap_or(i64::MAX) {
        return Err(ApiError::field("integration_ids", "One of these integrations does not exist"));
    }
    Ok(integrations::set_for_application(conn, application_id, ids)?)
}

pub fn application_response(conn: &mut DbConnection, row: ApplicationRow) -> Result<ApplicationResponse, ApiError> {
    let library_ids = applications::library_ids(conn, &row.id)?;
    let integration_ids = integrations::for_application(conn, &row.id)?;
    let deployments = deployments::for_application(conn, &row.id)?.into_iter().map(deployment_response).collect();
    Ok(ApplicationResponse {
        id: row.id,
        name: row.name,
        description: row.description,
        library_ids,
        integration_ids,
        deployments,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

#[utoipa::path(get, path = paths::APPLICATIONS, tag = "applications",
    security(("access_token" = ["js_libraries:read"])),
    responses((status = 200, body = [ApplicationResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<ApplicationResponse>>> {
    let account_id = caller.account.id;
    let list = db::run_with(&state.pool, move |conn| {
        applications::list(conn, &account_id)?.into_iter().map(|row| application_response(conn, row)).collect()
    })
    .await?;
    Ok(web::Json(list))
}

#[utoipa::path(post, path = paths::APPLICATIONS, tag = "applications", request_body = ApplicationRequest,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 201, body = ApplicationResponse), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<ApplicationRequest>,
) -> ApiResult<HttpResponse> {
    let app = parse(body.into_inner())?;
    let now = Utc::now().naive_utc();
    let row = NewApplication {
        id: Uuid::new_v4().to_string(),
        account_id: caller.account.id,
        name: app.name,
        description: app.description,
        created_at: now,
        updated_at: now,
    };
    let created = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            check_libraries(conn, &row.account_id, &app.library_ids)?;
            applications::insert(conn, &row)?;
            applications::set_libraries(conn, &row.id, &app.library_ids)?;
            set_integrations(conn, &row.account_id, &row.id, app.integration_ids.as_deref())?;
            application_response(conn, row.into())
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(get, path = paths::APPLICATION, tag = "applications", params(("id" = String, Path)),
    security(("access_token" = ["js_libraries:read"])),
    responses((status = 200, body = ApplicationResponse), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<web::Json<ApplicationResponse>> {
    let (account_id, id) = (caller.account.id, id.into_inner());
    let app = db::run_with(&state.pool, move |conn| {
        let row = applications::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
        application_response(conn, row)
    })
    .await?;
    Ok(web::Json(app))
}

#[utoipa::path(put, path = paths::APPLICATION, tag = "applications", params(("id" = String, Path)),
    request_body = ApplicationRequest,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 200, body = ApplicationResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: web::Json<ApplicationRequest>,
) -> ApiResult<web::Json<ApplicationResponse>> {
    let app = parse(body.into_inner())?;
    let (account_id, id) = (caller.account.id, id.into_inner());
    let now = Utc::now().naive_utc();
    let updated = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            applications::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
            check_libraries(conn, &account_id, &app.library_ids)?;
            applications::update(conn, &id, &app.name, &app.description, now)?;
            applications::set_libraries(conn, &id, &app.library_ids)?;
            set_integrations(conn, &account_id, &id, app.integration_ids.as_deref())?;
            let row = applications::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
            application_response(conn, row)
        })
    })
    .await?;
    Ok(web::Json(updated))
}

#[utoipa::path(delete, path = paths::APPLICATION, tag = "applications", params(("id" = String, Path)),
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 204, description = "Deleted with its deployments"), (status = 404, body = ErrorBody)))]
pub async fn delete(state: web::Data<AppState>, caller: CurrentUser, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id, id.into_inner());
    db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        applications::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
        Ok(applications::delete(conn, &id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
