//! `POST /api/v1/accounts`: sign-up creates an account and its first admin, signed in.

use crate::auth::password::hash_off_thread;
use crate::db::models::{NewAccount, NewUser};
use crate::db::{self, accounts, is_unique_violation};
use crate::domain::{AccountName, Email, FieldCheck, NewPassword, PersonName};
use crate::error::{ApiError, ApiResult};
use crate::routes::session::finish_sign_in;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::v1::{Role, SignInResponse, SignUpRequest};
use shared::ErrorBody;
use uuid::Uuid;

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = SignUpRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = SignInResponse),
        (status = 400, body = ErrorBody), (status = 403, description = "Sign-up is turned off", body = ErrorBody),
        (status = 409, description = "The email is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignUpRequest>,
) -> ApiResult<HttpResponse> {
    if !state.settings.allow_signup {
        return Err(ApiError::Forbidden {
            code: "signup_disabled",
            message: "Sign-up is turned off on this server. Ask an administrator for an account.".into(),
        });
    }
    let mut check = FieldCheck::default();
    let account_name = check.take("account_name", AccountName::parse(&body.account_name));
    let name = check.take("name", PersonName::parse(&body.name));
    let email = check.take("email", Email::parse(&body.email));
    let password = check.take("password", NewPassword::parse(&body.password, None, &body.email));
    let (Some(account_name), Some(name), Some(email), Some(password)) = (account_name, name, email, password) else {
        return Err(check.into_error());
    };

    let password_hash = hash_off_thread(password.expose().to_string()).await?;
    let now = Utc::now().naive_utc();
    let account = NewAccount { id: Uuid::new_v4().to_string(), name: account_name.as_str().into(), created_at: now };
    let user = NewUser {
        id: Uuid::new_v4().to_string(),
        account_id: account.id.clone(),
        name: name.as_str().into(),
        email: email.as_str().into(),
        email_normalized: email.normalized().into(),
        password_hash,
        role: Role::Admin.as_str().into(),
        is_active: 1,
        created_at: now,
        updated_at: now,
        can_create: true,
        can_share: true,
    };
    let user_id = user.id.clone();
    db::run(&state.pool, move |conn| {
        accounts::insert_with_first_user(conn, account, user).map_err(|e| match is_unique_violation(&e) {
            true => email_taken(),
            false => e.into(),
        })
    })
    .await?;
    finish_sign_in(&req, &state, user_id, shared::v1::AuthMethod::Password, StatusCode::CREATED).await
}

/// 409 for an email some user already has (in any account).
pub fn email_taken() -> ApiError {
    ApiError::Conflict {
        code: "email_taken",
        message: "A user with this email address already exists. Sign in, or use another address.".into(),
    }
}
