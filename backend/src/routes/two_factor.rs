//! The caller's two-factor authentication: activate or update (send a code,
//! verify it), deactivate, and new one-time access codes.

use crate::audit;
use crate::auth::reauth::{confirm_password, require_recent_password};
use crate::auth::second_factor::{self, confirmation_id, require_for_change, Entered, Outcome};
use crate::auth::totp;
use crate::auth::two_factor::{self, access_code_hash, destination_hint, new_recovery_codes, Challenge, RESEND_AFTER};
use crate::auth::CurrentUser;
use crate::db::models::NewTwoFactor;
use crate::db::purposes::CodePurpose;
use crate::db::{self, api_credentials, sessions, two_factor as tf, two_factor_codes};
use crate::domain::Email;
use crate::error::{ApiError, ApiResult};
use crate::notices::{self, Notice};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::{
    parse_phone, AuthenticatorSetup, CodeSentResponse, PasswordConfirmation, RecoveryCodesResponse, SecurityEventKind,
    StartTwoFactorRequest, TwoFactorMethod, VerifyCodeRequest,
};
use shared::ErrorBody;
use shared::ErrorCode;

fn setup_id(user_id: &str) -> String {
    format!("{}:{user_id}", CodePurpose::Setup.as_str())
}

#[utoipa::path(post, path = paths::MY_TWO_FACTOR, tag = "two-factor", request_body = StartTwoFactorRequest,
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
            let setup = AuthenticatorSetup {
                secret: totp::to_base32(&secret).into(),
                qr_svg: totp::qr_svg(&uri)?.into(),
                otpauth_uri: uri.into(),
            };
            (Ok(state.secrets.seal(&secret, totp::sealed_at(&caller.user.id))?), Some(setup))
        }
    };
    let destination = destination.map_err(|problems| ApiError::field("destination", problems.join(". ")))?;
    require_recent_password(&state, &req, &caller, body.password).await?;
    // Changing the method in force needs that method too, as turning it off does.
    require_for_change(&state, &req, &caller.user, body.two_factor_code).await?;

    let challenge = Challenge {
        id: setup_id(&caller.user.id),
        user_id: &caller.user.id,
        purpose: CodePurpose::Setup,
        method: body.method,
        destination: &destination,
    };
    challenge.open(&state, now).await?;
    let sends = body.method != TwoFactorMethod::Totp;
    Ok(web::Json(CodeSentResponse {
        method: body.method,
        destination_hint: destination_hint(body.method, &destination),
        resend_after_secs: if sends { RESEND_AFTER.num_seconds() as u64 } else { 0 },
        authenticator,
    }))
}

#[utoipa::path(post, path = paths::MY_TWO_FACTOR_VERIFY, tag = "two-factor", request_body = VerifyCodeRequest,
    responses((status = 200, description = "2FA is on; the one-time access codes, shown this once", body = RecoveryCodesResponse),
        (status = 422, description = "Wrong, expired or used-up code", body = ErrorBody)))]
pub async fn verify(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<VerifyCodeRequest>,
) -> ApiResult<web::Json<RecoveryCodesResponse>> {
    let entered = Entered::Code(body.into_inner().code.expose().trim().to_string());
    let (pending, totp_step) =
        match second_factor::check(&state, &request, setup_id(&caller.user.id), CodePurpose::Setup, entered).await? {
            Outcome::Right { row, totp_step } => (row, totp_step),
            Outcome::Wrong => return Err(ApiError::field("code", "The code is incorrect")),
            Outcome::Void => {
                return Err(ApiError::field(
                    "code",
                    "No code is waiting, or it has expired or was entered wrongly too often. Request a new one.",
                ))
            }
        };
    let now = Utc::now().naive_utc();
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| access_code_hash(&state, c)).collect();
    let row = NewTwoFactor {
        user_id: pending.user_id.clone(),
        method: pending.method,
        destination: pending.destination.clone(),
        enabled_at: now,
        last_totp_step: totp_step,
    };
    let keep = caller.session().map(|s| s.id.clone()).unwrap_or_default();
    let was_on = db::run_with(&state.pool, move |conn| {
        use diesel::Connection;
        conn.transaction(|conn| {
            let was_on = tf::find(conn, &row.user_id)?.is_some();
            tf::enable(conn, &row, &hashes)?;
            // Sessions and API credentials issued before this factor was in force end (the caller's stays).
            sessions::delete_others(conn, &row.user_id, &keep)?;
            api_credentials::delete_all_for_user(conn, &row.user_id)?;
            Ok::<_, ApiError>(was_on)
        })
    })
    .await?;
    let detail = format!("turned on or updated: {}", pending.method.as_str());
    audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, detail).await;
    let notice = if was_on { Notice::TwoFactorChanged } else { Notice::TwoFactorOn };
    notices::send(&state, &request, &caller.user.email, notice);
    Ok(web::Json(RecoveryCodesResponse { recovery_codes: codes.into_iter().map(Into::into).collect() }))
}

#[utoipa::path(delete, path = paths::MY_TWO_FACTOR, tag = "two-factor", request_body = PasswordConfirmation,
    responses((status = 204, description = "2FA is off; contact details and codes deleted"),
        (status = 422, body = ErrorBody)))]
pub async fn deactivate(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<PasswordConfirmation>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    confirm_password(&state, &request, &caller.user, body.password, "password").await?;
    require_for_change(&state, &request, &caller.user, body.two_factor_code).await?;
    audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, "turned off").await;
    notices::send(&state, &request, &caller.user.email, Notice::TwoFactorOff);
    let user_id = caller.user.id;
    db::run(&state.pool, move |conn| {
        tf::disable(conn, &user_id)?;
        Ok(two_factor_codes::delete_for_user(conn, &user_id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = paths::MY_TWO_FACTOR_RECOVERY_CODES, tag = "two-factor", request_body = PasswordConfirmation,
    responses((status = 200, description = "A new set; the old one is void", body = RecoveryCodesResponse),
        (status = 409, description = "2FA is not on", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn new_recovery_code_set(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<PasswordConfirmation>,
) -> ApiResult<web::Json<RecoveryCodesResponse>> {
    confirm_password(&state, &request, &caller.user, body.into_inner().password, "password").await?;
    let codes = two_factor::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| access_code_hash(&state, c)).collect();
    let user_id = caller.user.id.clone();
    db::run_with(&state.pool, move |conn| {
        if tf::find(conn, &user_id)?.is_none() {
            return Err(ApiError::Conflict {
                code: ErrorCode::TwoFactorOff,
                message: "Two-factor authentication is off, so there are no access codes to renew.".into(),
            });
        }
        Ok(tf::replace_recovery_codes(conn, &user_id, &hashes)?)
    })
    .await?;
    let detail = "new one-time access codes";
    audit::record(&state, &request, &caller.user, SecurityEventKind::TwoFactorChanged, detail).await;
    notices::send(&state, &request, &caller.user.email, Notice::AccessCodesRenewed);
    Ok(web::Json(RecoveryCodesResponse { recovery_codes: codes.into_iter().map(Into::into).collect() }))
}

#[utoipa::path(post, path = paths::MY_TWO_FACTOR_CONFIRMATION_CODE, tag = "two-factor",
    responses((status = 200, description = "A code was sent to the method in force (nothing is sent for an authenticator app), for `two_factor_code` in a change that needs it", body = CodeSentResponse),
        (status = 409, description = "`two_factor_off`", body = ErrorBody),
        (status = 429, description = "A code was sent under a minute ago", body = ErrorBody),
        (status = 502, description = "The code could not be delivered", body = ErrorBody)))]
pub async fn send_confirmation_code(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<CodeSentResponse>> {
    let user_id = caller.user.id.clone();
    let method_row =
        db::run(&state.pool, move |conn| Ok(tf::find(conn, &user_id)?)).await?.ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::TwoFactorOff,
            message: "Two-factor authentication is off, so no code is needed.".into(),
        })?;
    let method = method_row.method;
    let now = Utc::now().naive_utc();
    let challenge = Challenge {
        id: confirmation_id(&caller.user.id),
        user_id: &caller.user.id,
        purpose: CodePurpose::Confirm,
        method,
        destination: &method_row.destination,
    };
    challenge.open(&state, now).await?;
    let sends = method != TwoFactorMethod::Totp;
    Ok(web::Json(CodeSentResponse {
        method,
        destination_hint: destination_hint(method, &method_row.destination),
        resend_after_secs: if sends { RESEND_AFTER.num_seconds() as u64 } else { 0 },
        authenticator: None,
    }))
}
