//! Deployments of applications (Production, Testing, ...), with their variables.

use crate::auth::CurrentUser;
use crate::db::models::{DeploymentRow, NewDeployment};
use crate::db::{self, applications, deployments, oauth_tokens};
use crate::domain::FieldCheck;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{DeploymentRequest, DeploymentResponse, DeploymentUpdate};
use shared::validate::parse_name;
use shared::ErrorBody;
use std::collections::BTreeMap;
use uuid::Uuid;

const LABEL_MAX_CHARS: usize = 50;
const VARIABLES_MAX: usize = 100;
const VARIABLE_NAME_MAX_CHARS: usize = 64;
const VARIABLE_VALUE_MAX_CHARS: usize = 1000;

/// Checks a deployment's label and variables; answers the label and the variables as stored (JSON).
fn parse_deployment(label: &str, variables: &BTreeMap<String, String>) -> Result<(String, String), ApiError> {
    let mut check = FieldCheck::default();
    let label = check.take("label", parse_name(label, LABEL_MAX_CHARS).map_err(|e| vec![e]));
    if variables.len() > VARIABLES_MAX {
        check.note("variables", format!("Use at most {VARIABLES_MAX} variables"));
    }
    // Names become identifiers in the application's scripts.
    let is_identifier = |name: &str| {
        name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(name) = variables.keys().find(|name| !is_identifier(name) || name.len() > VARIABLE_NAME_MAX_CHARS) {
        check.note(
            "variables",
            format!("\"{name}\" is not a variable name: use letters, digits and _, at most {VARIABLE_NAME_MAX_CHARS}, not starting with a digit"),
        );
    }
    if let Some(name) = variables.iter().find(|(_, v)| v.chars().count() > VARIABLE_VALUE_MAX_CHARS).map(|(n, _)| n) {
        check.note("variables", format!("The value of {name} is longer than {VARIABLE_VALUE_MAX_CHARS} characters"));
    }
    let Some(label) = label else { return Err(check.into_error().into()) };
    check.finish()?;
    Ok((label, serde_json::to_string(variables).map_err(|e| ApiError::Unexpected(e.into()))?))
}

pub fn deployment_response(row: DeploymentRow) -> DeploymentResponse {
    DeploymentResponse {
        variables: serde_json::from_str(&row.variables).unwrap_or_default(),
        id: row.id,
        application_id: row.application_id,
        label: row.label,
        created_at: row.created_at.and_utc(),
        oauth_token_id: row.oauth_token_id,
    }
}

#[utoipa::path(get, path = paths::DEPLOYMENTS, tag = "applications",
    security(("access_token" = ["js_libraries:read"])),
    responses((status = 200, body = [DeploymentResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<DeploymentResponse>>> {
    let account_id = caller.account.id;
    let rows = db::run(&state.pool, move |conn| Ok(deployments::list(conn, &account_id)?)).await?;
    Ok(web::Json(rows.into_iter().map(deployment_response).collect()))
}

#[utoipa::path(post, path = paths::DEPLOYMENTS, tag = "applications", request_body = DeploymentRequest,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 201, body = DeploymentResponse), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<DeploymentRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let (label, variables) = parse_deployment(&body.label, &body.variables)?;
    let row = NewDeployment {
        id: Uuid::new_v4().to_string(),
        application_id: body.application_id,
        label,
        variables,
        created_at: Utc::now().naive_utc(),
        oauth_token_id: None,
    };
    let account_id = caller.account.id;
    let created = db::run_with(&state.pool, move |conn| {
        if applications::find(conn, &account_id, &row.application_id)?.is_none() {
            return Err(ApiError::field("application_id", "There is no such application"));
        }
        deployments::insert(conn, &row)?;
        Ok(deployment_response(row.into()))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(put, path = paths::DEPLOYMENT, tag = "applications", params(("id" = String, Path)),
    request_body = DeploymentUpdate,
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 200, body = DeploymentResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: web::Json<DeploymentUpdate>,
) -> ApiResult<web::Json<DeploymentResponse>> {
    let (label, variables) = parse_deployment(&body.label, &body.variables)?;
    let token_id = body.into_inner().oauth_token_id;
    if token_id.is_some() && !caller.account.stripe_enabled {
        return Err(ApiError::field(
            "oauth_token_id",
            "OAuth tokens need Stripe, which is not enabled for this account",
        ));
    }
    let (account_id, id) = (caller.account.id, id.into_inner());
    let updated = db::run_with(&state.pool, move |conn| {
        if let Some(token_id) = &token_id {
            if oauth_tokens::find(conn, &account_id, token_id)?.is_none() {
                return Err(ApiError::field("oauth_token_id", "There is no such OAuth token"));
            }
        }
        deployments::update(conn, &account_id, &id, (&label, &variables, token_id.as_deref()))?
            .ok_or_else(|| ApiError::NotFound("There is no such deployment.".into()))
    })
    .await?;
    Ok(web::Json(deployment_response(updated)))
}

#[utoipa::path(delete, path = paths::DEPLOYMENT, tag = "applications", params(("id" = String, Path)),
    security(("access_token" = ["js_libraries:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
pub async fn delete(state: web::Data<AppState>, caller: CurrentUser, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id, id.into_inner());
    match db::run(&state.pool, move |conn| Ok(deployments::delete(conn, &account_id, &id)?)).await? {
        0 => Err(ApiError::NotFound("There is no such deployment.".into())),
        _ => Ok(HttpResponse::NoContent().finish()),
    }
}
