//! Links to choose a password: invitations, admin resets and "Forgot password?" resets are mailed
//! from here, and `POST /api/v1/password` spends them (once, before they expire).

use crate::crypto::{random_token, token_hash};
use crate::db::models::UserRow;
use crate::db::purposes::LinkPurpose;
use crate::db::{self, api_credentials, developer_keys, password_tokens, sessions, users};
use crate::domain::NewPassword;
use crate::error::{ApiError, ApiResult};
use crate::mail::letters;
pub use crate::mail::letters::PasswordLink;
use crate::notices::{self, Notice};
use crate::routes::public_base;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use diesel::Connection;
use shared::paths;
use shared::v1::SetPasswordRequest;
use shared::ErrorBody;

const INVITE_LIFETIME_DAYS: i64 = 7;
const RESET_LIFETIME_HOURS: i64 = 1;
/// Stored for invited users until they choose one: no argon2 hash matches it.
pub const NO_PASSWORD: &str = "!";

/// Emails the user a link to set a password; earlier links of the same kind stop working.
pub async fn send_password_link(state: &AppState, user: &UserRow, why: PasswordLink) -> ApiResult<()> {
    let token = random_token();
    let (purpose, lifetime) = match why {
        PasswordLink::Invite { .. } => (LinkPurpose::Invite, Duration::days(INVITE_LIFETIME_DAYS)),
        PasswordLink::AdminReset | PasswordLink::SelfReset => {
            (LinkPurpose::Reset, Duration::hours(RESET_LIFETIME_HOURS))
        }
    };
    let (user_id, hash, expires_at) = (user.id.clone(), token_hash(&token), Utc::now().naive_utc() + lifetime);
    db::run(&state.pool, move |conn| Ok(password_tokens::replace(conn, &user_id, purpose, &hash, expires_at)?)).await?;
    let link = format!("{}/set-password?token={token}", public_base(state));
    let letter = letters::password_link(&why, &user.name, &link);
    state.mailer.send(&user.email, letter).await.map_err(|e| {
        tracing::warn!(error = %e, "the password link could not be sent");
        ApiError::DeliveryFailed(format!("The email to {} could not be sent. Try again later.", user.email))
    })
}

#[utoipa::path(security(()), post, path = paths::PASSWORD, tag = "users", request_body = SetPasswordRequest,
    responses((status = 204, description = "The password is set; sign in with it"),
        (status = 422, description = "The link is not valid (any more), or the password breaks the policy", body = ErrorBody)))]
pub async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    if body.new_password != body.new_password_confirmation {
        return Err(ApiError::field("new_password_confirmation", "The two passwords do not match"));
    }
    let hash = token_hash(body.token.expose());
    let now = Utc::now().naive_utc();
    // The link is spent by this request whatever follows: a leaked link is good for one try.
    let user = db::run(&state.pool, move |conn| {
        let Some(user_id) = password_tokens::take(conn, &hash, &[LinkPurpose::Invite, LinkPurpose::Reset], now)? else {
            return Ok(None);
        };
        Ok(users::find_with_account(conn, &user_id)?.map(|(user, _)| user))
    })
    .await?
    .ok_or_else(|| ApiError::field("token", "This link is not valid any more. Ask your admin for a new one"))?;
    let new_password = NewPassword::parse(body.new_password.expose(), None, &user.email).map_err(|problems| {
        ApiError::validation(shared::FieldErrors::from([("new_password".to_string(), problems)]))
    })?;
    let hashed = state.hashing.hash(new_password.expose().to_string()).await?;
    // An invited user sets a first password; anyone else is resetting one.
    let (had_password, email) = (user.password_hash.expose() != NO_PASSWORD, user.email.clone());
    db::run_with(&state.pool, move |conn| {
        conn.transaction(|conn| {
            users::update_password_hash(conn, &user.id, &hashed, now)?;
            // Whoever held the old password may hold these too: all of them end.
            sessions::delete_all_for_user(conn, &user.id)?;
            api_credentials::delete_all_for_user(conn, &user.id)?;
            developer_keys::delete_for_user(conn, &user.id)?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    if had_password {
        notices::send(&state, &req, &email, Notice::PasswordChanged);
    }
    Ok(HttpResponse::NoContent().finish())
}
