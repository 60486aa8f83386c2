//! Admin options: the account's users (list, add with an invitation email, edit, reset password,
//! deactivate, delete). The links they are mailed are [`super::password_links`]'s.

use crate::audit;
use crate::auth::AdminUser;
use crate::db::models::{NewUser, UserRow};
use crate::db::{self, access_tokens, api_credentials, is_unique_violation, sessions, users};
use crate::domain::{Email, FieldCheck, PersonName};
use crate::email_verification::{self, Holder};
use crate::error::{ApiError, ApiResult};
use crate::routes::password_links::{send_password_link, PasswordLink, NO_PASSWORD};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::Connection;
use shared::paths;
use shared::v1::{AccountUser, NewUserRequest, Role, SecurityEventKind, UserUpdate};
use shared::ErrorBody;
use shared::ErrorCode;

fn account_user(user: UserRow, two_factor: bool) -> AccountUser {
    AccountUser {
        admin: user.role() == Role::Admin,
        active: user.is_active,
        invited: user.password_hash.expose() == NO_PASSWORD,
        id: user.id,
        name: user.name,
        email: user.email,
        can_create: user.can_create,
        can_share: user.can_share,
        two_factor,
        last_sign_in_at: user.last_sign_in_at.map(|t| t.and_utc()),
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("There is no such user.".into())
}

fn email_taken() -> ApiError {
    ApiError::Conflict { code: ErrorCode::EmailTaken, message: "A user with this email already exists.".into() }
}

fn last_admin() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::LastAdmin,
        message: "This is the account's last active admin: make another user an admin first.".into(),
    }
}

fn full_name(first: &str, last: &str) -> String {
    format!("{} {}", first.trim(), last.trim()).trim().to_string()
}

#[utoipa::path(get, path = paths::USERS, tag = "users",
    security(("access_token" = ["users:read"])),
    responses((status = 200, body = [AccountUser]), (status = 403, description = "Not an admin", body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, AdminUser(caller): AdminUser) -> ApiResult<web::Json<Vec<AccountUser>>> {
    let account_id = caller.account.id;
    let rows = db::run(&state.pool, move |conn| Ok(users::in_account(conn, &account_id)?)).await?;
    Ok(web::Json(rows.into_iter().map(|(user, two_factor)| account_user(user, two_factor)).collect()))
}

#[utoipa::path(post, path = paths::USERS, tag = "users", request_body = NewUserRequest,
    security(("access_token" = ["users:write"])),
    responses((status = 201, description = "Added; an email invites them to set a password", body = AccountUser),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The email is taken (across all accounts)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    request: HttpRequest,
    body: web::Json<NewUserRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut check = FieldCheck::default();
    let first = check.take("first_name", PersonName::parse(&body.first_name));
    let last = check.take("last_name", PersonName::parse(&body.last_name));
    let email = check.take("email", Email::parse(&body.email));
    let (Some(first), Some(last), Some(email)) = (first, last, email) else { return Err(check.into_error().into()) };
    let now = Utc::now().naive_utc();
    let invite = PasswordLink::Invite {
        account: caller.account.name.clone(),
        admin: format!("{} ({})", caller.user.name, caller.user.email),
    };
    let caller_user = caller.user;
    let role = if body.admin { Role::Admin } else { Role::Standard };
    // The only way in is the link mailed to the address, which proves it.
    let user = NewUser {
        can_create: body.can_create,
        can_share: body.can_share,
        ..NewUser::new(
            caller.account.id,
            full_name(first.as_str(), last.as_str()),
            &email,
            NO_PASSWORD.into(),
            role,
            now,
        )
    };
    let user_id = user.id.clone();
    let created = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        conn.transaction(|conn| {
            // An unverified sign-up reserves nothing: the invitation takes the address over.
            // (Not a user of this account: that would be the admin inviting their own address.)
            match email_verification::holder_of(conn, &user.email_normalized)? {
                Holder::Unverified(holder) if holder.account_id != user.account_id => {
                    email_verification::evict(conn, &holder, now)?
                }
                _ => {}
            }
            users::insert(conn, &user).map_err(|e| if is_unique_violation(&e) { email_taken() } else { e.into() })?;
            Ok(users::find_with_account(conn, &user.id)?.ok_or_else(not_found)?.0)
        })
    })
    .await?;
    send_password_link(&state, &created, invite).await?;
    let detail = format!("{} ({})", created.email, created.role.as_str());
    audit::record(&state, &request, &caller_user, SecurityEventKind::UserAdded, detail).await;
    tracing::info!(user = %user_id, "user invited");
    Ok(HttpResponse::Created().json(account_user(created, false)))
}

#[utoipa::path(patch, path = paths::USER, tag = "users", params(("id" = String, Path)), request_body = UserUpdate,
    security(("access_token" = ["users:write"])),
    responses((status = 200, body = AccountUser), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Email taken, or the last active admin would be lost", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    request: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
    body: web::Json<UserUpdate>,
) -> ApiResult<web::Json<AccountUser>> {
    let body = body.into_inner();
    let mut check = FieldCheck::default();
    let first = body.first_name.as_deref().map(|n| check.take("first_name", PersonName::parse(n)));
    let last = body.last_name.as_deref().map(|n| check.take("last_name", PersonName::parse(n)));
    let email = body.email.as_deref().map(|e| check.take("email", Email::parse(e)));
    check.finish()?;
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let (updated, was_admin, revoked_tokens) = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let mut user = users::find_in_account(conn, &account_id, &id)?.ok_or_else(not_found)?;
            let was_admin = user.role() == Role::Admin;
            let was_active_admin = was_admin && user.is_active;
            if first.is_some() || last.is_some() {
                let current_first = user.name.split_once(' ').map_or(user.name.as_str(), |(f, _)| f).to_string();
                let current_last = user.name.split_once(' ').map_or("", |(_, l)| l).to_string();
                let first = first.flatten().map_or(current_first, |n| n.as_str().to_string());
                let last = last.flatten().map_or(current_last, |n| n.as_str().to_string());
                user.name = full_name(&first, &last);
            }
            if let Some(email) = email.flatten() {
                user.email = email.as_str().into();
                user.email_normalized = email.normalized().into();
            }
            if let Some(admin) = body.admin {
                user.role = if admin { Role::Admin } else { Role::Standard };
            }
            user.can_create = body.can_create.unwrap_or(user.can_create);
            user.can_share = body.can_share.unwrap_or(user.can_share);
            if let Some(active) = body.active {
                user.is_active = active;
            }
            let still_active_admin = user.role() == Role::Admin && user.is_active;
            if was_active_admin && !still_active_admin && users::active_admins(conn, &account_id)? <= 1 {
                return Err(last_admin());
            }
            user.updated_at = Utc::now().naive_utc();
            users::save_admin_fields(conn, &user).map_err(|e| {
                if is_unique_violation(&e) {
                    email_taken()
                } else {
                    e.into()
                }
            })?;
            let mut revoked_tokens = Vec::new();
            if !user.is_active {
                // Their credentials already stop at once (every lookup checks is_active); this tidies up,
                // and a reactivated user starts with no tokens.
                sessions::delete_all_for_user(conn, &user.id)?;
                api_credentials::delete_all_for_user(conn, &user.id)?;
                revoked_tokens = access_tokens::delete_all_for_user(conn, &user.id)?;
            }
            let two_factor = crate::db::two_factor::find(conn, &user.id)?.is_some();
            Ok((account_user(user, two_factor), was_admin, revoked_tokens))
        })
    })
    .await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::UserChanged, updated.email.clone()).await;
    for name in revoked_tokens {
        let detail = format!("{name} of {} (deactivated)", updated.email);
        audit::record(&state, &request, &caller.user, SecurityEventKind::AccessTokenRevoked, detail).await;
    }
    if updated.admin != was_admin {
        let detail = format!("{} is {} an admin", updated.email, if updated.admin { "now" } else { "no longer" });
        audit::record(&state, &request, &caller.user, SecurityEventKind::RoleChanged, detail).await;
    }
    Ok(web::Json(updated))
}

#[utoipa::path(delete, path = paths::USER, tag = "users", params(("id" = String, Path)),
    security(("access_token" = ["users:write"])),
    responses((status = 204, description = "Deleted"), (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The last active admin", body = ErrorBody)))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id.clone(), id.into_inner());
    let email = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let user = users::find_in_account(conn, &account_id, &id)?.ok_or_else(not_found)?;
            if user.role() == Role::Admin && user.is_active && users::active_admins(conn, &account_id)? <= 1 {
                return Err(last_admin());
            }
            users::delete(conn, &id)?;
            Ok(user.email)
        })
    })
    .await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::UserDeleted, email).await;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = paths::USER_PASSWORD_RESET, tag = "users", params(("id" = String, Path)),
    responses((status = 204, description = "The user was emailed a link to choose a new password"),
        (status = 403, description = "Not an admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn send_reset(
    state: web::Data<AppState>,
    AdminUser(caller): AdminUser,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (account_id, id) = (caller.account.id, id.into_inner());
    let user = db::run(&state.pool, move |conn| Ok(users::find_in_account(conn, &account_id, &id)?))
        .await?
        .ok_or_else(not_found)?;
    send_password_link(&state, &user, PasswordLink::AdminReset).await?;
    Ok(HttpResponse::NoContent().finish())
}
