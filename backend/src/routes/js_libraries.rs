//! JS libraries: list (with the deployed applications using each), add, edit, delete.

use super::js_library_batches::{self as batches, Addition, Change};
use crate::audit;
use crate::auth::CurrentUser;
use crate::db::models::JsLibraryRow;
use crate::db::{self, applications, is_unique_violation, js_libraries, security_events};
use crate::domain::{FieldCheck, JsCode};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::Connection;
use serde::Deserialize;
use shared::paths;
use shared::v1::SecurityEventKind::{LibraryAdded, LibraryChanged, LibraryDeleted};
use shared::v1::{ApplicationRef, JsLibraryRequest, JsLibraryResponse};
use shared::validate::{parse_description, parse_name, DESCRIPTION_MAX_CHARS, JS_CODE_MAX_CHARS, NAME_MAX_CHARS};
use shared::ErrorBody;
use shared::ErrorCode;

/// Room for a library at every field's limit however JSON spells it: a character may take 12 bytes
/// (an astral one as two `\uXXXX` escapes), plus 4 KiB for the keys and spacing.
pub const BODY_MAX_BYTES: usize = (JS_CODE_MAX_CHARS + NAME_MAX_CHARS + DESCRIPTION_MAX_CHARS) * 12 + 4096;

/// The checked fields of a request.
pub(super) struct Library {
    pub name: String,
    pub description: String,
    pub code: JsCode,
}

/// Checks the fields on the blocking pool (parsing the code is CPU work), before the write queues.
async fn check(body: JsLibraryRequest) -> ApiResult<Library> {
    web::block(move || check_fields(body)).await.map_err(db::Error::from)?
}

fn check_fields(body: JsLibraryRequest) -> ApiResult<Library> {
    let mut check = FieldCheck::default();
    let name = check.take("name", parse_name(&body.name, NAME_MAX_CHARS).map_err(|e| vec![e]));
    let description = check.take("description", parse_description(&body.description).map_err(|e| vec![e]));
    let code = check.take("code", JsCode::parse(&body.code));
    match (name, description, code) {
        (Some(name), Some(description), Some(code)) => Ok(Library { name, description, code }),
        _ => Err(check.into_error().into()),
    }
}

pub(super) fn not_found() -> ApiError {
    ApiError::NotFound("There is no such JS library.".into())
}

pub(super) fn name_taken(e: diesel::result::Error) -> ApiError {
    match is_unique_violation(&e) {
        true => ApiError::Conflict {
            code: ErrorCode::LibraryNameTaken,
            message: "This account already has a JS library with that name.".into(),
        },
        false => e.into(),
    }
}

/// The answer for `row`, used by `users` ((id, name, deployed) of each application).
pub(super) fn library_response(row: JsLibraryRow, users: Vec<(String, String, bool)>) -> JsLibraryResponse {
    let deployed_applications = users
        .iter()
        .filter(|(_, _, deployed)| *deployed)
        .map(|(id, name, _)| ApplicationRef { id: id.clone(), name: name.clone() })
        .collect();
    let used_by = users.into_iter().map(|(id, name, _)| ApplicationRef { id, name }).collect();
    JsLibraryResponse {
        id: row.id,
        name: row.name,
        description: row.description,
        code: row.code,
        deployed_applications,
        used_by,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}

#[utoipa::path(get, path = paths::JS_LIBRARIES, tag = "js libraries",
    security(("access_token" = ["js_libraries:read"])),
    responses((status = 200, body = [JsLibraryResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<JsLibraryResponse>>> {
    let account_id = caller.account.id;
    let list = db::run(&state.pool, move |conn| {
        js_libraries::list(conn, &account_id)?
            .into_iter()
            .map(|row| {
                let users = applications::using_library(conn, &row.id)?;
                Ok(library_response(row, users))
            })
            .collect()
    })
    .await?;
    Ok(web::Json(list))
}

#[utoipa::path(post, path = paths::JS_LIBRARIES, tag = "js libraries", request_body = JsLibraryRequest,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 201, body = JsLibraryResponse), (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Over 16384 characters, a syntax error (with line and column), or modules", body = ErrorBody)))]
pub async fn create(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<JsLibraryRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut event = audit::event(&request, &caller.user, LibraryAdded);
    let library = check(body).await?;
    event.detail = library.name.clone();
    let pool = state.pool.clone();
    let write = move |account_id, additions| batches::add(pool.clone(), account_id, additions);
    let created = state
        .library_additions
        .write(caller.account.id.clone(), Addition::new(library, event), write)
        .await
        .map_err(anyhow::Error::from)??;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(get, path = paths::JS_LIBRARY, tag = "js libraries", params(("id" = String, Path)),
    security(("access_token" = ["js_libraries:read"])),
    responses((status = 200, body = JsLibraryResponse), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
) -> ApiResult<web::Json<JsLibraryResponse>> {
    let (account_id, id) = (caller.account.id, id.into_inner());
    let library = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        let row = js_libraries::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
        let users = applications::using_library(conn, &row.id)?;
        Ok(library_response(row, users))
    })
    .await?;
    Ok(web::Json(library))
}

#[utoipa::path(put, path = paths::JS_LIBRARY, tag = "js libraries", params(("id" = String, Path)),
    request_body = JsLibraryRequest,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 200, body = JsLibraryResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: web::Json<JsLibraryRequest>,
) -> ApiResult<web::Json<JsLibraryResponse>> {
    let body = body.into_inner();
    let mut event = audit::event(&request, &caller.user, LibraryChanged);
    let library = check(body).await?;
    event.detail = library.name.clone();
    let pool = state.pool.clone();
    let key = (caller.account.id.clone(), id.into_inner());
    let write = move |(account_id, id), changes| batches::change(pool.clone(), account_id, id, changes);
    let updated =
        state.library_changes.write(key, Change::new(library, event), write).await.map_err(anyhow::Error::from)??;
    Ok(web::Json(updated))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DeleteQuery {
    /// Take the library out of the applications that use it, then delete it.
    #[serde(default)]
    detach: bool,
}

#[utoipa::path(delete, path = paths::JS_LIBRARY, tag = "js libraries", params(("id" = String, Path), DeleteQuery),
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody),
        (status = 409, description = "Deployed applications use it (named); send ?detach=true", body = ErrorBody)))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    query: web::Query<DeleteQuery>,
) -> ApiResult<HttpResponse> {
    let (account_id, id, detach) = (caller.account.id.clone(), id.into_inner(), query.detach);
    let mut event = audit::event(&request, &caller.user, LibraryDeleted);
    db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let library = js_libraries::find(conn, &account_id, &id)?.ok_or_else(not_found)?;
            let deployed: Vec<String> = applications::using_library(conn, &id)?
                .into_iter()
                .filter(|(_, _, deployed)| *deployed)
                .map(|(_, name, _)| name)
                .collect();
            if !deployed.is_empty() && !detach {
                return Err(ApiError::Conflict {
                    code: ErrorCode::LibraryInUse,
                    message: format!(
                        "Deployed applications use this library: {}. Detach it from them to delete it.",
                        deployed.join(", ")
                    ),
                });
            }
            applications::detach_library(conn, &id)?;
            js_libraries::delete(conn, &id)?;
            (event.detail, event.created_at) = (library.name, Utc::now().naive_utc());
            Ok(security_events::insert(conn, &event)?)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
