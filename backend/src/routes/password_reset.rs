//! "Forgot password?": anyone may ask for a reset link for an address. The answer never says
//! whether an account uses it (the work happens after the answer), and the asking is limited per
//! client network and, quietly, per address, so it can be used neither to enumerate accounts nor to
//! flood someone's inbox.

use crate::db::{self, users};
use crate::domain::Email;
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::{network_key, within_hourly_limit};
use crate::request::client_ip;
use crate::routes::password_links::{send_password_link, PasswordLink};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::paths;
use shared::v1::PasswordResetRequest;
use shared::ErrorBody;

/// Requests per client network an hour; more get 429.
const PER_NETWORK_PER_HOUR: u32 = 10;
/// Links mailed to one address an hour; more requests are answered the same and send nothing.
const PER_ADDRESS_PER_HOUR: u32 = 3;

#[utoipa::path(security(()), post, path = paths::PASSWORD_RESET, tag = "session", request_body = PasswordResetRequest,
    responses((status = 202, description = "If an active account uses the address, a link valid for 1 hour is on its way"),
        (status = 422, body = ErrorBody), (status = 429, description = "Too many from this network", body = ErrorBody)))]
pub async fn request(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = Email::parse(&body.email).map_err(|problems| ApiError::field("email", problems.join(". ")))?;
    within_hourly_limit(&state.pool, format!("password-reset:{}", network_key(&client_ip(&req))), PER_NETWORK_PER_HOUR)
        .await?;
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        if let Err(e) = send_if_known(&state, email.normalized().to_string()).await {
            tracing::warn!(error = ?e, "a requested password reset link was not sent");
        }
    });
    Ok(HttpResponse::Accepted().finish())
}

async fn send_if_known(state: &AppState, email: String) -> Result<(), ApiError> {
    let per_address = format!("password-reset-address:{email}");
    if within_hourly_limit(&state.pool, per_address, PER_ADDRESS_PER_HOUR).await.is_err() {
        return Ok(());
    }
    let user = db::run(&state.pool, move |conn| Ok(users::find_by_email(conn, &email)?)).await?;
    match user.filter(|u| u.is_active) {
        Some(user) => send_password_link(state, &user, PasswordLink::SelfReset).await,
        None => Ok(()),
    }
}
