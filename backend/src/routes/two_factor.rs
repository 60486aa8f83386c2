//! The caller's two-factor authentication: activate or update (send a code,
//! verify it), deactivate, and new one-time access codes.

use crate::audit;
use crate::auth::password::{verify_off_thread, Verdict};
use crate::auth::reauth::require_recent_password;
use crate::auth::session::client_ip;
use crate::auth::totp;
use crate::auth::two_factor::{
    self, check_code, code_hash, deliver, destination_hint, new_code, new_recovery_codes, normalize_recovery_code,
    CodeCheck, CODE_LIFETIME, PURPOSE_SETUP, RESEND_AFTER,
};
use crate::auth::CurrentUser;
use crate::db::models::{TwoFactorCodeRow, TwoFactorRow};
use crate::db::{self, two_factor as tf, two_factor_codes};
use crate::domain::Email;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::v1::{
    parse_phone, AuthenticatorSetup, CodeSentResponse, PasswordConfirmation, RecoveryCodesResponse, SecurityEventKind,
    StartTwoFactorRequest, TwoFactorMethod, VerifyCodeRequest,
};
use shared::ErrorBody;

fn setup_id(user_id: &str) -> String {
    format!("{PURPOSE_SETUP}:{user_id}")
}

#[utoipa::path(post, path = "/api/v1/me/two-factor", tag = "two-factor", request_body = StartTwoFactorRequest,
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = [])),
    responses((status = 200, description = "A code was sent", body = CodeSentResponse),
        (status = 403, description = "`reauthentication_required`", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, description = "A code was sent under a minute ago", body = ErrorBody),
        (status = 502, description = "The code could not be delivered", body = ErrorBody)))]
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<StartTwoFactorRequest>,
) -> ApiResult<web::Json<CodeSentResponse>> {
    let body = body.into_inner();
    let now = Utc::now().naive_utc();
    // For an authenticator app the "destination" is the shared secret, sealed at rest.
    let (destination, authenticator) = match body.method {
        TwoFactorMethod::Email => (Email::parse(&body.destination).map(|e| e.as_str().to_string()), None),
        TwoFactorMethod::Sms => (parse_phone(&body.destination).map_err(|e| vec![e]), None),
        TwoFactorMethod::Totp => {
            let secret = totp::new_secret();
            let uri = totp::otpauth_uri(&caller.user.email, &secret);
            let setup =
                AuthenticatorSetup { secret: totp::to_base32(&secret), qr_svg: totp::qr_svg(&uri)?, otpauth_uri: uri };
            (Ok(state.secrets.encrypt(&secret)?), Some(setup))
        }
    };
    let destination = destination.map_err(|problems| ApiError::field("destination", problems.join(". ")))?;
    require_recent_password(&state, &caller, body.password, &client_ip(&req)).await?;

    let id = setup_id(&caller.user.id);
    let code = new_code();
    let row = TwoFactorCodeRow {
        id: id.clone(),
        user_id: caller.user.id.clone(),
        purpose: PURPOSE_SETUP.into(),
        method: body.method.as_str().into(),
        destination: destination.clone(),
        code_hash: code_hash(&state, &id, &code),
        attempts: 0,
        sent_at: now,
        expires_at: now + CODE_LIFETIME,
    };
    let lookup = id.clone();
    let sends = body.method != TwoFactorMethod::Totp;
    db::run(&state.pool, move |conn| {
        if let Some(earlier) = two_factor_codes::find(conn, &lookup)?.filter(|_| sends) {
            let wait = earlier.sent_at + RESEND_AFTER - now;
            if wait > chrono::Duration::zero() {
                return Err(ApiError::RateLimited { retry_after_secs: wait.num_seconds().max(1) as u64 });
            }
        }
        Ok(two_factor_codes::replace(conn, &row)?)
    })
    .await?;
    if let Err(e) = deliver(&state, body.method, &destination, &code).await {
        db::run(&state.pool, move |conn| Ok(two_factor_codes::delete(conn, &id)?)).await?;
        return Err(e);
    }
    Ok(web::Json(CodeSentResponse {
        method: body.method,
        destination_hint: destination_hint(body.method, &destination),
        resend_after_secs: if sends { RESEND_AFTER.num_seconds() as u64 } else { 0 },
        authenticator,
    }))
}

#[utoipa::path(post, path = "/api/v1/me/two-factor/verify", tag = "two-factor", request_body = VerifyCodeRequest,
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = [])),
    responses((status = 200, description = "2FA is on; the one-time access codes, shown this once", body = RecoveryCodesResponse),
        (status = 422, description = "Wrong, expired or used-up code", body = ErrorBody)))]
pub async fn verify(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<VerifyCodeRequest>,
) -> ApiResult<web::Json<RecoveryCodesResponse>> {
    let now = Utc::now().naive_utc();
    let id = setup_id(&caller.user.id);
    let lookup = id.clone();
    let pending = db::run(&state.pool, move |conn| Ok(two_factor_codes::find(conn, &lookup)?))
        .await?
        .ok_or_else(|| ApiError::field("code", "No code is waiting to be entered. Start again to get one."))?;
    match check_code(&state, &pending, &body.code, now) {
        CodeCheck::Void => {
            db::run(&state.pool, move |conn| Ok(two_factor_codes::delete(conn, &id)?)).await?;
            Err(ApiError::field("code", "This code has expired or was entered wrongly too often. Request a new one."))
        }
        CodeCheck::Wrong => {
            db::run(&state.pool, move |conn| Ok(two_factor_codes::count_attempt(conn, &id)?)).await?;
            Err(ApiError::field("code", "The code is incorrect"))
        }
        CodeCheck::Right => {
            let codes = new_recovery_codes();
            let hashes: Vec<String> = codes.iter().map(|c| state.hasher.hash(&normalize_recovery_code(c))).collect();
            let row = TwoFactorRow {
                user_id: pending.user_id.clone(),
                method: pending.method.clone(),
                destination: pending.destination.clone(),
                enabled_at: now,
            };
            db::run(&state.pool, move |conn| {
                use diesel::Connection;
                conn.transaction(|conn| {
                    tf::enable(conn, &row, &hashes)?;
                    two_factor_codes::delete(conn, &id)?;
                    Ok::<_, ApiError>(())
                })
            })
            .await?;
            let detail = format!("turned on or updated: {}", pending.method);
            audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, detail).await;
            Ok(web::Json(RecoveryCodesResponse { recovery_codes: codes }))
        }
    }
}

async fn confirm_password(caller: &CurrentUser, password: String) -> Result<(), ApiError> {
    match verify_off_thread(password, caller.user.password_hash.clone()).await? {
        Verdict::Wrong => Err(ApiError::field("password", "The password is incorrect")),
        Verdict::Right { .. } => Ok(()),
    }
}

#[utoipa::path(delete, path = "/api/v1/me/two-factor", tag = "two-factor", request_body = PasswordConfirmation,
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = [])),
    responses((status = 204, description = "2FA is off; contact details and codes deleted"),
        (status = 422, body = ErrorBody)))]
pub async fn deactivate(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<PasswordConfirmation>,
) -> ApiResult<HttpResponse> {
    confirm_password(&caller, body.into_inner().password).await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, "turned off").await;
    let user_id = caller.user.id;
    db::run(&state.pool, move |conn| {
        tf::disable(conn, &user_id)?;
        Ok(two_factor_codes::delete_for_user(conn, &user_id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/me/two-factor/recovery-codes", tag = "two-factor", request_body = PasswordConfirmation,
    security(("session_cookie" = [], "csrf_token" = []), ("bearer" = []), ("basic" = [])),
    responses((status = 200, description = "A new set; the old one is void", body = RecoveryCodesResponse),
        (status = 409, description = "2FA is not on", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn new_recovery_code_set(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<PasswordConfirmation>,
) -> ApiResult<web::Json<RecoveryCodesResponse>> {
    confirm_password(&caller, body.into_inner().password).await?;
    let codes = two_factor::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| state.hasher.hash(&normalize_recovery_code(c))).collect();
    let user_id = caller.user.id.clone();
    db::run(&state.pool, move |conn| {
        if tf::find(conn, &user_id)?.is_none() {
            return Err(ApiError::Conflict {
                code: "two_factor_off",
                message: "Two-factor authentication is off, so there are no access codes to renew.".into(),
            });
        }
        Ok(tf::replace_recovery_codes(conn, &user_id, &hashes)?)
    })
    .await?;
    let detail = "new one-time access codes";
    audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, detail).await;
    Ok(web::Json(RecoveryCodesResponse { recovery_codes: codes }))
}
