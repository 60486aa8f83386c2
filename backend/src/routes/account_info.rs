//! The account's company details (`/api/v1/account`): everyone reads them, admins change them.

use crate::auth::{AdminUser, CurrentUser};
use crate::db::{self, accounts};
use crate::domain::FieldCheck;
use crate::error::ApiResult;
use crate::state::AppState;
use actix_web::web;
use shared::paths;
use shared::v1::AccountInfo;
use shared::ErrorBody;

const ACCOUNT_FIELD_MAX_CHARS: usize = 200;

#[utoipa::path(get, path = paths::ACCOUNT, tag = "users",
    security(("access_token" = ["users:read"])),
    responses((status = 200, body = AccountInfo)))]
pub async fn get_account(caller: CurrentUser) -> ApiResult<web::Json<AccountInfo>> {
    let a = caller.account;
    Ok(web::Json(AccountInfo {
        company_name: a.company_name,
        address: a.address,
        city: a.city,
        state: a.state,
        zip: a.zip,
        phone: a.phone,
    }))
}

#[utoipa::path(put, path = paths::ACCOUNT, tag = "users", request_body = AccountInfo,
    security(("access_token" = ["users:write"])),
    responses((status = 200, body = AccountInfo), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_account(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    body: web::Json<AccountInfo>,
) -> ApiResult<web::Json<AccountInfo>> {
    let mut info = body.into_inner();
    let mut check = FieldCheck::default();
    for (field, value) in [
        ("company_name", &mut info.company_name),
        ("address", &mut info.address),
        ("city", &mut info.city),
        ("state", &mut info.state),
        ("zip", &mut info.zip),
        ("phone", &mut info.phone),
    ] {
        *value = value.trim().to_string();
        if value.chars().count() > ACCOUNT_FIELD_MAX_CHARS || value.chars().any(char::is_control) {
            check.note(field, format!("Use at most {ACCOUNT_FIELD_MAX_CHARS} characters on one line"));
        }
    }
    if !info.phone.is_empty() && !info.phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        check.note("phone", "Use digits, spaces and + - ( ) only");
    }
    check.finish()?;
    let (account_id, saved) = (caller.account.id, info.clone());
    db::run(&state.pool, move |conn| Ok(accounts::update_info(conn, &account_id, &saved)?)).await?;
    Ok(web::Json(info))
}
