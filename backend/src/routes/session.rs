//! Sign-in (`POST /api/v1/session`, then `POST /api/v1/session/two-factor` when
//! two-factor authentication is on) and sign-out (`DELETE /api/v1/session`).

use crate::audit;
use crate::auth::password::Verdict;
use crate::auth::second_factor::{self, Entered, Outcome};
use crate::auth::session::{self, IssuedSession};
use crate::auth::throttle::{self, Keys};
use crate::auth::two_factor::{destination_hint, live_sign_in, Challenge, RESEND_AFTER, SIGN_IN_OVER};
use crate::auth::CurrentUser;
use crate::crypto::{random_token, token_hash};
use crate::db::models::{AccountRow, DeveloperKeyRow, NewDevice, TwoFactorRow, UserRow};
use crate::db::purposes::CodePurpose;
use crate::db::{self, developer_keys, devices, passkeys, sessions, two_factor, users};
use crate::domain::{Email, FieldCheck, Password};
use crate::error::{ApiError, ApiResult};
use crate::mail::letters;
use crate::request::{client_ip, user_agent};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use shared::paths;
use shared::v1::{
    AccountSummary, AuthMethod, ChallengeRequest, CodeSentResponse, MeResponse, SecurityEventKind, SignInRequest,
    SignInResponse, TwoFactorMethod, TwoFactorSignInRequest, TwoFactorState,
};
use shared::ErrorBody;

const WRONG_CREDENTIALS: &str = "The email or password is incorrect.";

#[utoipa::path(security(()), post, path = paths::SESSION, tag = "session", request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in (sets the session and CSRF cookies), or `two_factor_required` with a challenge", body = SignInResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 502, body = ErrorBody),
        (status = 503, description = "The password-hashing queue is full; try again after Retry-After", body = ErrorBody)))]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignInRequest>,
) -> ApiResult<HttpResponse> {
    let mut check = FieldCheck::default();
    let password = check.take("password", Password::parse(body.password.expose()));
    if body.email.trim().is_empty() {
        check.note("email", "Enter your email address");
    } else if let Err(problem) = shared::validate::check_email_length(&body.email) {
        // Refused before the failure counters see it: each new key would be a stored row.
        check.note("email", problem);
    }
    let Some(password) = password else {
        return Err(check.into_error().into());
    };
    check.finish()?;

    let now = Utc::now().naive_utc();
    let email = Email::normalize(&body.email);
    let (ip, device_token) = (client_ip(&req), session::device_token(&req));
    let (keys, user) = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        let user = users::find_by_email(conn, &email)?.filter(|u| u.is_active);
        let device = device_token.zip(user.as_ref()).map(|(token, user)| session::device_id(&token, &user.id));
        let device = throttle::recognised_device(conn, device)?;
        let keys = Keys::new(&email, &ip, device.as_deref());
        throttle::reserve(conn, &keys, now)?;
        Ok((keys, user))
    })
    .await?;

    let stored = user.as_ref().map(|u| u.password_hash.expose().to_string());
    let verdict = state.hashing.verify_user(password.expose().to_string(), stored).await;
    let verdict = throttle::unless_busy(&state.pool, &keys, verdict).await?;
    let (Some(user), Verdict::Right { needs_rehash }) = (&user, verdict) else {
        if let Some(user) = &user {
            audit::record(&state, &req, user, SecurityEventKind::SignInFailed, "wrong password").await;
        }
        return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
    };
    let (user, needs_rehash) = (user.clone(), needs_rehash);

    let rehashed = match needs_rehash {
        true => Some(state.hashing.hash(password.expose().to_string()).await?),
        false => None,
    };
    let user_id = user.id.clone();
    let second_factor = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        throttle::succeeded(conn, &keys)?;
        if let Some(hash) = rehashed {
            users::update_password_hash(conn, &user_id, &hash, now)?;
        }
        // Whether a passkey may answer the second step, read with the method in the same trip.
        let passkey = passkeys::count_for_user(conn, &user_id)? > 0;
        Ok(two_factor::find(conn, &user_id)?.map(|method| (method, passkey)))
    })
    .await?;
    match second_factor {
        Some((method, passkey)) => challenge(&state, method, passkey, now).await,
        None => finish_sign_in(&req, &state, user.id, AuthMethod::Password, StatusCode::OK).await,
    }
}

/// Sends a sign-in code and answers with the challenge; no session exists yet. The user has one
/// live challenge: this one replaces any earlier.
async fn challenge(
    state: &AppState,
    method_row: TwoFactorRow,
    passkey: bool,
    now: NaiveDateTime,
) -> ApiResult<HttpResponse> {
    let method = method_row.method;
    let token = random_token();
    let challenge = Challenge {
        id: token_hash(&token),
        user_id: &method_row.user_id,
        purpose: CodePurpose::SignIn,
        method,
        destination: &method_row.destination,
    };
    challenge.open(state, now).await?;
    Ok(HttpResponse::Ok().json(SignInResponse {
        two_factor_required: true,
        challenge: Some(token.into()),
        method: Some(method),
        destination_hint: Some(destination_hint(method, &method_row.destination)),
        csrf_token: None,
        user: None,
        passkey,
    }))
}

#[utoipa::path(security(()), post, path = paths::SESSION_TWO_FACTOR, tag = "session", request_body = TwoFactorSignInRequest,
    responses(
        (status = 200, description = "Signed in; sets the session and CSRF cookies", body = SignInResponse),
        (status = 401, description = "The challenge expired or is used up", body = ErrorBody),
        (status = 422, description = "Wrong code", body = ErrorBody)))]
pub async fn second_step(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<TwoFactorSignInRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let (field, entered) = match (body.code, body.recovery_code) {
        (Some(code), _) if !code.expose().trim().is_empty() => {
            ("code", Entered::Code(code.expose().trim().to_string()))
        }
        (_, Some(recovery)) if !recovery.expose().trim().is_empty() => {
            ("recovery_code", Entered::AccessCode(recovery.into_inner()))
        }
        _ => return Err(ApiError::field("code", "Enter the code we sent, or one of your one-time access codes")),
    };
    let used_access_code = matches!(entered, Entered::AccessCode(_));
    let row =
        match second_factor::check(&state, &req, token_hash(body.challenge.expose()), CodePurpose::SignIn, entered)
            .await?
        {
            Outcome::Right { row, .. } => row,
            Outcome::Wrong => return Err(ApiError::field(field, "The code is incorrect")),
            Outcome::Void => return Err(ApiError::Unauthorized(SIGN_IN_OVER.into())),
        };
    if used_access_code {
        let user_id = row.user_id.clone();
        if let Some((user, _)) = db::run(&state.pool, move |conn| Ok(users::find_with_account(conn, &user_id)?)).await?
        {
            audit::record(&state, &req, &user, SecurityEventKind::RecoveryCodeUsed, "at sign-in").await;
        }
    }
    finish_sign_in(&req, &state, row.user_id, AuthMethod::PasswordAndSecondFactor, StatusCode::OK).await
}

#[utoipa::path(security(()), post, path = paths::SESSION_TWO_FACTOR_RESEND, tag = "session", request_body = ChallengeRequest,
    responses(
        (status = 200, description = "A new code is on its way; the one before no longer works", body = CodeSentResponse),
        (status = 401, description = "The challenge expired or is used up", body = ErrorBody),
        (status = 422, description = "Codes come from an authenticator app: there is nothing to send", body = ErrorBody),
        (status = 429, description = "Within 60 seconds of the last code", body = ErrorBody),
        (status = 502, body = ErrorBody)))]
pub async fn resend(
    state: web::Data<AppState>,
    body: web::Json<ChallengeRequest>,
) -> ApiResult<web::Json<CodeSentResponse>> {
    let row = live_sign_in(&state, body.challenge.expose()).await?;
    let now = Utc::now().naive_utc();
    let method = Some(row.method).filter(|m| *m != TwoFactorMethod::Totp).ok_or_else(|| {
        ApiError::field("challenge", "Your codes come from your authenticator app: open it for the current one")
    })?;
    // The same challenge with a new code: the 60-second resend limit applies as to every code.
    let challenge = Challenge {
        id: row.id,
        user_id: &row.user_id,
        purpose: CodePurpose::SignIn,
        method,
        destination: &row.destination,
    };
    challenge.open(&state, now).await?;
    Ok(web::Json(CodeSentResponse {
        method,
        destination_hint: destination_hint(method, &row.destination),
        resend_after_secs: RESEND_AFTER.num_seconds() as u64,
        authenticator: None,
    }))
}

/// Creates the session and remembers the browser; a sign-in from a browser not seen
/// before for this user brings an email notice when two-factor authentication is on.
pub async fn finish_sign_in(
    req: &HttpRequest,
    state: &AppState,
    user_id: String,
    method: AuthMethod,
    status: StatusCode,
) -> ApiResult<HttpResponse> {
    let now = Utc::now().naive_utc();
    let IssuedSession { token, csrf_token, row } = session::issue(&user_id, req, now, method);
    let existing_device = session::device_token(req);
    let device_token = existing_device.clone().unwrap_or_else(random_token);
    let device = NewDevice {
        id: session::device_id(&device_token, &user_id),
        user_id: user_id.clone(),
        user_agent: user_agent(req),
        ip: client_ip(req),
        created_at: now,
        last_seen_at: now,
    };
    let notice = (device.ip.clone(), device.user_agent.clone());
    let (me, recognised) = db::run_with::<_, ApiError, _>(&state.pool, move |conn| {
        sessions::insert(conn, &row)?;
        users::record_sign_in(conn, &user_id, now)?;
        let recognised = devices::recognise(conn, &device.id, &user_id, now)?;
        if !recognised {
            devices::insert(conn, &device)?;
        }
        Ok((load_me(conn, &user_id)?, recognised))
    })
    .await?;
    audit::record_for(state, req, (&me.account.id, &me.id), SecurityEventKind::SignIn, "").await;
    if !recognised && me.two_factor.enabled {
        notify_new_device(state, &me.email, now, notice).await;
    }
    let mut response = signed_in(req, status, &token, &csrf_token, me);
    if existing_device.is_none() {
        let _ = response.add_cookie(&session::device_cookie(req, &device_token));
    }
    Ok(response)
}

/// The unrecognized-device email. A failure is logged; it must not stop the sign-in.
async fn notify_new_device(state: &AppState, email: &str, at: NaiveDateTime, (ip, browser): (String, String)) {
    if let Err(e) = state.mailer.send(email, letters::new_device(at, &ip, &browser)).await {
        tracing::warn!(error = ?e, "could not send the new-device notice");
    }
}

#[utoipa::path(delete, path = paths::SESSION, tag = "session",
    security(("session_cookie" = [], "csrf_token" = [])),
    responses((status = 204, description = "Signed out; cookies cleared"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>, current: CurrentUser) -> ApiResult<HttpResponse> {
    audit::record(&state, &req, &current.user, SecurityEventKind::SignOut, "").await;
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
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("user {user_id} vanished")))?;
    describe_me(conn, user, account)
}

/// The profile of a user whose rows are already loaded (by the authentication, say).
pub fn describe_me(conn: &mut db::DbConnection, user: UserRow, account: AccountRow) -> Result<MeResponse, ApiError> {
    let key = developer_keys::find_for_user(conn, &user.id)?;
    let method = two_factor::find(conn, &user.id)?;
    let remaining = match method {
        Some(_) => two_factor::remaining_recovery_codes(conn, &user.id)?,
        None => 0,
    };
    Ok(me_response(user, account, key.as_ref(), two_factor_state(method.as_ref(), remaining)))
}

/// The answer to a successful sign-in or sign-up: cookies set, CSRF token in the body.
pub fn signed_in(req: &HttpRequest, status: StatusCode, token: &str, csrf_token: &str, me: MeResponse) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    for cookie in session::cookies(req, token, csrf_token) {
        response.cookie(cookie);
    }
    response.json(SignInResponse {
        two_factor_required: false,
        csrf_token: Some(csrf_token.to_string().into()),
        user: Some(me),
        challenge: None,
        method: None,
        destination_hint: None,
        passkey: false,
    })
}

/// The two-factor state as the API shows it, destination masked.
fn two_factor_state(row: Option<&TwoFactorRow>, recovery_codes_remaining: i64) -> TwoFactorState {
    match row.map(|r| (r, r.method)) {
        None => TwoFactorState::off(),
        Some((row, method)) => TwoFactorState {
            enabled: true,
            method: Some(method),
            destination_hint: Some(shared::v1::destination_hint(method, &row.destination)),
            recovery_codes_remaining: u32::try_from(recovery_codes_remaining).unwrap_or(0),
        },
    }
}

/// The user as `GET /api/v1/me` shows them.
fn me_response(
    user: UserRow,
    account: AccountRow,
    key: Option<&DeveloperKeyRow>,
    two_factor: TwoFactorState,
) -> MeResponse {
    MeResponse {
        role: user.role(),
        id: user.id,
        name: user.name,
        email: user.email,
        account: AccountSummary { id: account.id, name: account.name, stripe_enabled: account.stripe_enabled },
        created_at: user.created_at.and_utc(),
        developer_key: super::developer_keys::key_state(key),
        two_factor,
        email_verified: user.email_verified,
    }
}
