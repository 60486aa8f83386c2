//! `POST /api/v1/email-verification` (use the emailed link) and `POST /api/v1/me/email-verification`
//! (send it again, a few times an hour).

use crate::auth::CurrentUser;
use crate::db;
use crate::domain::Email;
use crate::email_verification::{self, Holder, Verified, RESENDS_PER_HOUR};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::within_hourly_limit;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use shared::paths;
use shared::v1::VerifyEmailRequest;
use shared::ErrorBody;

#[utoipa::path(security(()), post, path = paths::EMAIL_VERIFICATION, tag = "accounts", request_body = VerifyEmailRequest,
    responses((status = 204, description = "The address is verified (and no longer held by an unverified sign-up)"),
        (status = 422, description = "The link is not valid (any more), or another user verified the address first", body = ErrorBody)))]
pub async fn verify(state: web::Data<AppState>, body: web::Json<VerifyEmailRequest>) -> ApiResult<HttpResponse> {
    let (token, now) = (body.into_inner().token, Utc::now().naive_utc());
    match db::run_with(&state.pool, move |conn| email_verification::verify(conn, token.expose(), now)).await? {
        Verified::Done => Ok(HttpResponse::NoContent().finish()),
        Verified::BadLink => Err(ApiError::field(
            "token",
            "This link is not valid any more. Sign in and ask for a new one from the dashboard",
        )),
        Verified::AddressInUse => {
            Err(ApiError::field("token", "Another account verified this address first. Sign in to that account"))
        }
    }
}

#[utoipa::path(post, path = paths::MY_EMAIL_VERIFICATION, tag = "me",
    security(("access_token" = ["profile:write"])),
    responses((status = 204, description = "A new link is on its way, unless the address is verified already"),
        (status = 401, body = ErrorBody), (status = 403, description = "No CSRF token", body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn resend(state: web::Data<AppState>, current: CurrentUser) -> ApiResult<HttpResponse> {
    let user = current.user;
    if user.email_verified {
        return Ok(HttpResponse::NoContent().finish());
    }
    within_hourly_limit(&state.pool, format!("verify_resend:{}", user.id), RESENDS_PER_HOUR).await?;
    let address = Email::normalize(&user.email);
    let only_claims = user.email_normalized != address;
    let holder = db::run_with(&state.pool, move |conn| email_verification::holder_of(conn, &address)).await?;
    // Someone else proved this address: a link could never make it this user's, and the answer
    // must not tell them so.
    if only_claims && matches!(holder, Holder::Verified { .. }) {
        return Ok(HttpResponse::NoContent().finish());
    }
    email_verification::send_link(&state, &user.id, &user.name, &user.email).await?;
    Ok(HttpResponse::NoContent().finish())
}
