//! The signed-in user's own profile (`/api/v1/me`) and password (`/api/v1/me/password`).

use crate::audit;
use crate::auth::reauth::password_is_right;
use crate::auth::second_factor::require_for_change;
use crate::auth::CurrentUser;
use crate::db::{self, api_credentials, is_unique_violation, sessions, users};
use crate::domain::{Email, FieldCheck, NewPassword, PersonName};
use crate::email_verification;
use crate::error::{ApiError, ApiResult};
use crate::notices::{self, Notice};
use crate::routes::accounts::email_taken;
use crate::routes::session::{describe_me, load_me};
use crate::state::AppState;
use actix_web::http::header::ContentType;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::Connection;
use shared::paths;
use shared::v1::{ChangePasswordRequest, MeResponse, SecurityEventKind, UpdateMeRequest};
use shared::ErrorBody;

const WRONG_CURRENT_PASSWORD: &str = "The current password is incorrect";

#[utoipa::path(get, path = paths::ME, tag = "me", security(("access_token" = ["profile:read"])),
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn get_me(state: web::Data<AppState>, current: CurrentUser) -> ApiResult<HttpResponse> {
    let CurrentUser { user, account, .. } = current;
    let generation = state.recent.generation();
    if let Some(body) = state.recent.me.get(&user.id, generation) {
        return Ok(json_response(body));
    }
    // What is kept must all be read after `generation`; the caller's rows may be older.
    let kept = generation.is_some();
    let user_id = user.id.clone();
    let me = db::run_with(&state.pool, move |conn| {
        let (user, account) = match kept {
            true => users::find_with_account(conn, &user.id)?
                .ok_or_else(|| ApiError::Unauthorized("This user no longer exists.".into()))?,
            false => (user, account),
        };
        describe_me(conn, user, account)
    })
    .await?;
    // Kept as the JSON it is sent as: a remembered answer costs no serializing.
    let body = web::Bytes::from(serde_json::to_vec(&me).map_err(|e| ApiError::Unexpected(e.into()))?);
    state.recent.me.put(user_id, body.clone(), generation);
    Ok(json_response(body))
}

fn json_response(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(body)
}

#[utoipa::path(patch, path = paths::ME, tag = "me", request_body = UpdateMeRequest,
    security(("access_token" = ["profile:write"])),
    responses((status = 200, body = MeResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_me(
    request: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    body: web::Json<UpdateMeRequest>,
) -> ApiResult<web::Json<MeResponse>> {
    let body = body.into_inner();
    let mut check = FieldCheck::default();
    let name = body.name.as_deref().map(|raw| check.take("name", PersonName::parse(raw)));
    let email = body.email.as_deref().map(|raw| check.take("email", Email::parse(raw)));
    check.finish()?;
    let (name, email) = (name.flatten(), email.flatten());

    let user = current.user;
    // The address as the user sees it (a sign-up that found it in use holds a placeholder for look-ups).
    let current_address = Email::normalize(&user.email);
    let email_changes = email.as_ref().filter(|e| e.normalized() != current_address || e.as_str() != user.email);
    // Only a real change of address needs the password; a changed letter case is harmless.
    if email.as_ref().is_some_and(|e| e.normalized() != current_address) {
        let Some(current_password) = body.current_password else {
            return Err(ApiError::field("current_password", "Enter your current password to change your email"));
        };
        if !password_is_right(&state, &request, &user, current_password).await? {
            return Err(ApiError::field("current_password", WRONG_CURRENT_PASSWORD));
        }
        require_for_change(&state, &request, &user, body.two_factor_code).await?;
    }

    let now = Utc::now().naive_utc();
    let email_changes = email_changes.cloned();
    let new_address = email.as_ref().filter(|e| e.normalized() != current_address).map(|e| e.as_str().to_string());
    let address_changes = new_address.is_some();
    let (audited, old_email) = (user.clone(), user.email.clone());
    let me = db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(name) = &name {
                users::update_name(conn, &user.id, name.as_str(), now)?;
            }
            if let Some(email) = &email_changes {
                // A change of letter case keeps the look-up form the user has (perhaps a placeholder).
                let normalized = if address_changes { email.normalized() } else { &user.email_normalized };
                users::update_email(conn, &user.id, email.as_str(), normalized, now).map_err(|e| {
                    match is_unique_violation(&e) {
                        true => email_taken(),
                        false => e.into(),
                    }
                })?;
            }
            if address_changes {
                // The new address is unproven until its link is used.
                users::mark_unverified(conn, &user.id)?;
            }
            load_me(conn, &user.id)
        })
    })
    .await?;
    if me.email != old_email {
        let detail = format!("from {old_email} to {}", me.email);
        audit::record(&state, &request, &audited, SecurityEventKind::EmailChanged, detail).await;
        notices::send(&state, &request, &old_email, Notice::EmailChanged { new_email: me.email.clone() });
    }
    if let Some(address) = new_address {
        email_verification::send_link(&state, &me.id, &me.name, &address).await?;
    }
    Ok(web::Json(me))
}

#[utoipa::path(put, path = paths::MY_PASSWORD, tag = "me", request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed; unless `end_other_sessions` is false, the user's other sessions and API credentials ended"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "Names each failed rule under fields", body = ErrorBody)))]
pub async fn change_password(
    request: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    // Key-authenticated callers keep no session, so every session ends.
    let session_id = current.session().map(|s| s.id.clone()).unwrap_or_default();
    let user = current.user;
    let mut check = FieldCheck::default();
    let new_password = check.take(
        "new_password",
        NewPassword::parse(body.new_password.expose(), Some(body.current_password.expose()), &user.email),
    );
    if body.new_password != body.new_password_confirmation {
        check.note("new_password_confirmation", "The two new passwords do not match");
    }
    if !password_is_right(&state, &request, &user, body.current_password).await? {
        check.note("current_password", WRONG_CURRENT_PASSWORD);
    }
    let Some(new_password) = new_password else {
        return Err(check.into_error().into());
    };
    check.finish()?;

    let hash = state.hashing.hash(new_password.expose().to_string()).await?;
    let now = Utc::now().naive_utc();
    let audited = user.clone();
    let end_others = body.end_other_sessions;
    db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            users::update_password_hash(conn, &user.id, &hash, now)?;
            sessions::mark_password_checked(conn, &session_id, now)?;
            if end_others {
                sessions::delete_others(conn, &user.id, &session_id)?;
                api_credentials::delete_all_for_user(conn, &user.id)?;
            }
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    let detail = if end_others { "other sessions and API credentials ended" } else { "other sessions kept" };
    audit::record(&state, &request, &audited, SecurityEventKind::PasswordChanged, detail).await;
    notices::send(&state, &request, &audited.email, Notice::PasswordChanged);
    Ok(HttpResponse::NoContent().finish())
}
