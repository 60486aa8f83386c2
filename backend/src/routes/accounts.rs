//! `POST /api/v1/accounts`: sign-up creates an account and its first admin, signed in, with a
//! link to verify the address. The answer is the same whether or not the address is in use.

use crate::db::models::{NewAccount, NewUser};
use crate::db::{self, accounts, is_unique_violation};
use crate::domain::{AccountName, Email, FieldCheck, NewPassword, PersonName};
use crate::email_verification::{self, Holder};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::{network_key, within_hourly_limit};
use crate::request::client_ip;
use crate::routes::session::finish_sign_in;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{Role, SignInResponse, SignUpRequest};
use shared::ErrorBody;
use shared::ErrorCode;
use uuid::Uuid;

#[utoipa::path(security(()), post, path = paths::ACCOUNTS, tag = "accounts", request_body = SignUpRequest,
    responses(
        (status = 201, description = "Account created and signed in; a link to verify the address is emailed \
            (or, when the address is already verified by another user, its owner is told instead)", body = SignInResponse),
        (status = 400, body = ErrorBody), (status = 403, description = "Sign-up is turned off", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this address this hour", body = ErrorBody),
        (status = 503, description = "The server is busy; try again after Retry-After", body = ErrorBody)))]
pub async fn sign_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignUpRequest>,
) -> ApiResult<HttpResponse> {
    if !state.settings.allow_signup {
        return Err(ApiError::Forbidden {
            code: ErrorCode::SignupDisabled,
            message: "Sign-up is turned off on this server. Ask an administrator for an account.".into(),
        });
    }
    let mut check = FieldCheck::default();
    let account_name = check.take("account_name", AccountName::parse(&body.account_name));
    let name = check.take("name", PersonName::parse(&body.name));
    let email = check.take("email", Email::parse(&body.email));
    let password = check.take("password", NewPassword::parse(body.password.expose(), None, &body.email));
    let (Some(account_name), Some(name), Some(email), Some(password)) = (account_name, name, email, password) else {
        return Err(check.into_error().into());
    };
    let per_address = format!("signup:{}", network_key(&client_ip(&req)));
    within_hourly_limit(&state.pool, per_address, state.settings.signups_per_hour).await?;

    let password_hash = state.hashing.hash(password.expose().to_string()).await?;
    let now = Utc::now().naive_utc();
    let account = NewAccount { id: Uuid::new_v4().to_string(), name: account_name.as_str().into(), created_at: now };
    let user = NewUser {
        email_verified: false,
        ..NewUser::new(account.id.clone(), name.as_str().into(), &email, password_hash, Role::Admin, now)
    };
    let user_id = user.id.clone();
    let verified_owner = db::run_with(&state.pool, move |conn| insert_claiming(conn, account, user)).await?;
    match verified_owner {
        Some(owner) => email_verification::tell_owner(&state, &req, &owner),
        None => email_verification::send_link(&state, &user_id, name.as_str(), email.as_str()).await?,
    }
    finish_sign_in(&req, &state, user_id, shared::v1::AuthMethod::Password, StatusCode::CREATED).await
}

/// Creates the account. When someone already has the address, the new user only claims it (it
/// holds a placeholder for look-ups) until its link is used. Returns the address of a verified
/// owner: then no link can ever make it the new user's, and the owner is told instead.
fn insert_claiming(
    conn: &mut db::DbConnection,
    account: NewAccount,
    mut user: NewUser,
) -> Result<Option<String>, ApiError> {
    let holder = email_verification::holder_of(conn, &user.email_normalized)?;
    if !matches!(holder, Holder::Nobody) {
        user.email_normalized = email_verification::placeholder();
    }
    let verified_owner = match holder {
        Holder::Verified { email } => Some(email),
        _ => None,
    };
    match accounts::insert_with_first_user(conn, account.clone(), user.clone()) {
        // Another sign-up took the address between the look-up and the insert: claim it the same way.
        Err(e) if is_unique_violation(&e) => {
            user.email_normalized = email_verification::placeholder();
            accounts::insert_with_first_user(conn, account, user)?;
            Ok(None)
        }
        other => Ok(other.map(|()| verified_owner)?),
    }
}

/// 409 for an email some user already has (in any account).
pub fn email_taken() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::EmailTaken,
        message: "A user with this email address already exists. Sign in, or use another address.".into(),
    }
}
