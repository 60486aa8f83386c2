//! `POST /api/v1/session` (sign in) and `DELETE /api/v1/session` (sign out).

use crate::auth::password::{hash_off_thread, verify_off_thread, Verdict, DUMMY_HASH};
use crate::auth::session::{self, client_ip, IssuedSession};
use crate::auth::throttle::{self, Keys};
use crate::auth::CurrentUser;
use crate::db::models::me_response;
use crate::db::{self, developer_keys, sessions, users};
use crate::domain::{Email, FieldCheck, Password};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::v1::{MeResponse, SignInRequest, SignInResponse};
use shared::ErrorBody;

const WRONG_CREDENTIALS: &str = "The email or password is incorrect.";

#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; sets the session and CSRF cookies", body = SignInResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignInRequest>,
) -> ApiResult<HttpResponse> {
    let mut check = FieldCheck::default();
    let password = check.take("password", Password::parse(&body.password));
    if body.email.trim().is_empty() {
        check.note("email", "Enter your email address");
    }
    let Some(password) = password else {
        return Err(check.into_error());
    };
    check.finish()?;

    let now = Utc::now().naive_utc();
    let email = Email::normalize(&body.email);
    let keys = Keys::new(&email, &client_ip(&req));
    let (keys, user) = db::run(&state.pool, move |conn| {
        throttle::check(conn, &keys, now)?;
        let user = users::find_by_email(conn, &email)?.filter(|u| u.is_active == 1);
        Ok((keys, user))
    })
    .await?;

    // Unknown emails are checked against a dummy hash so both answers take as long.
    let stored = user.as_ref().map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let verdict = verify_off_thread(password.expose().to_string(), stored).await?;
    let (Some(user), Verdict::Right { needs_rehash }) = (user, verdict) else {
        db::run(&state.pool, move |conn| throttle::record_failure(conn, &keys, now)).await?;
        return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
    };

    let rehashed = match needs_rehash {
        true => Some(hash_off_thread(password.expose().to_string()).await?),
        false => None,
    };
    let IssuedSession { token, csrf_token, row } = session::issue(&user.id, &req, now);
    let me = db::run(&state.pool, move |conn| {
        throttle::record_success(conn, &keys)?;
        if let Some(hash) = rehashed {
            users::update_password_hash(conn, &user.id, &hash, now)?;
        }
        sessions::insert(conn, &row)?;
        load_me(conn, &user.id)
    })
    .await?;
    Ok(signed_in(&req, StatusCode::OK, &token, &csrf_token, me))
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    security(("session_cookie" = []), ("csrf_token" = [])),
    responses((status = 204, description = "Signed out; cookies cleared"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn sign_out(state: web::Data<AppState>, current: CurrentUser) -> ApiResult<HttpResponse> {
    // A key-authenticated caller has no session to end; the answer is the same.
    if let Some(id) = current.session().map(|s| s.id.clone()) {
        db::run(&state.pool, move |conn| Ok(sessions::delete(conn, &id)?)).await?;
    }
    let mut response = HttpResponse::NoContent();
    for cookie in session::removal_cookies() {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

/// The user as `GET /me` shows them.
pub fn load_me(conn: &mut db::DbConnection, user_id: &str) -> Result<MeResponse, ApiError> {
    let (user, account) = users::find_with_account(conn, user_id)?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("user vanished while signing in")))?;
    let key = developer_keys::find_for_user(conn, user_id)?;
    Ok(me_response(user, account, key.as_ref()))
}

/// The answer to a successful sign-in or sign-up: cookies set, CSRF token in the body.
pub fn signed_in(req: &HttpRequest, status: StatusCode, token: &str, csrf_token: &str, me: MeResponse) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    for cookie in session::cookies(req, token, csrf_token) {
        response.cookie(cookie);
    }
    response.json(SignInResponse {
        two_factor_required: false,
        csrf_token: Some(csrf_token.to_string()),
        user: Some(me),
    })
}
