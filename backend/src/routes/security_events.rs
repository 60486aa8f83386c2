//! The security log: each user's own events, and the whole account's for admins (filterable), paged.

use crate::auth::{AdminUser, CurrentUser};
use crate::db::models::SecurityEventRow;
use crate::db::{self, security_events};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::web;
use serde::Deserialize;
use shared::paths;
use shared::v1::{SecurityEvent, SecurityEventKind, SecurityEventPage};
use shared::ErrorBody;

const PER_PAGE_DEFAULT: u32 = 50;
const PER_PAGE_MAX: u32 = 200;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// From 1.
    page: Option<u32>,
    /// At most 200; default 50.
    per_page: Option<u32>,
    /// Admins: only this kind of event.
    kind: Option<String>,
    /// Admins: only this user's events.
    user_id: Option<String>,
}

fn event(row: SecurityEventRow, user_name: Option<String>) -> SecurityEvent {
    SecurityEvent {
        kind: row.kind,
        id: row.id,
        at: row.created_at.and_utc(),
        user_id: row.user_id,
        user_name,
        detail: row.detail,
        ip: row.ip,
        browser: crate::user_agents::describe(&row.user_agent),
        user_agent: row.user_agent,
    }
}

async fn load(
    state: &AppState,
    account_id: String,
    user_id: Option<String>,
    query: PageQuery,
) -> ApiResult<SecurityEventPage> {
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(PER_PAGE_DEFAULT).clamp(1, PER_PAGE_MAX);
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(kind) => Some(
            SecurityEventKind::parse(kind)
                .ok_or_else(|| ApiError::BadRequest(format!("{kind} is not a kind of security event.")))?
                .as_str(),
        ),
    };
    let user_id = user_id.or(query.user_id).filter(|u| !u.is_empty());
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = db::run(&state.pool, move |conn| {
        let filter = security_events::Filter { account_id: &account_id, user_id: user_id.as_deref(), kind };
        Ok(security_events::page(conn, &filter, offset, i64::from(per_page))?)
    })
    .await?;
    Ok(SecurityEventPage {
        events: rows.into_iter().map(|(row, name)| event(row, name)).collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

#[utoipa::path(get, path = paths::MY_SECURITY_EVENTS, tag = "security log", params(PageQuery),
    security(("access_token" = ["security_log:read"])),
    responses((status = 200, description = "The caller's own events, newest first", body = SecurityEventPage),
        (status = 400, body = ErrorBody)))]
pub async fn mine(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<SecurityEventPage>> {
    let mut query = query.into_inner();
    query.user_id = None;
    Ok(web::Json(load(&state, caller.account.id, Some(caller.user.id), query).await?))
}

#[utoipa::path(get, path = paths::SECURITY_EVENTS, tag = "security log", params(PageQuery),
    security(("access_token" = ["security_log:read"])),
    responses((status = 200, description = "The account's events, newest first", body = SecurityEventPage),
        (status = 400, body = ErrorBody), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn account(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<SecurityEventPage>> {
    Ok(web::Json(load(&state, caller.account.id, None, query.into_inner()).await?))
}
