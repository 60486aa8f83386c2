//! Passkeys: registering them from the Security card (list, rename, delete), and signing in with
//! one, either without a password (a discoverable credential) or as the second step of a password
//! sign-in. Each ceremony's two halves are two requests; its state waits in the database between.

use crate::audit;
use crate::auth::passkeys::{self, credential_key};
use crate::auth::reauth::require_recent_password;
use crate::auth::two_factor::{live_sign_in, SIGN_IN_OVER};
use crate::auth::CurrentUser;
use crate::crypto::random_token;
use crate::db::models::{NewPasskey, PasskeyRow};
use crate::db::purposes::CeremonyPurpose;
use crate::db::{self, passkeys as stored, two_factor_codes, users};
use crate::error::{ApiError, ApiResult};
use crate::notices::{self, Notice};
use crate::rate_limit::{network_key, within_hourly_limit};
use crate::request::client_ip;
use crate::routes::session::finish_sign_in;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use anyhow::Context;
use chrono::Utc;
use shared::paths;
use shared::v1::{
    AuthMethod, ChallengeRequest, NewPasskeyRequest, PasskeyCeremony, PasskeyResponse, PasskeySignInRequest,
    ReauthenticateRequest, RenamePasskeyRequest, SecurityEventKind,
};
use shared::validate::{parse_name, NAME_MAX_CHARS};
use shared::ErrorBody;
use shared::ErrorCode;
use uuid::Uuid;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};

/// Passwordless sign-ins begun per client network an hour: far above any office's real use.
const PASSKEY_SIGN_INS_PER_HOUR: u32 = 300;
const NOT_ACCEPTED: &str = "The passkey was not accepted. Try again, or sign in another way.";
const CEREMONY_OVER: &str = "This passkey request has expired or was already used: start again.";

fn response(row: PasskeyRow) -> PasskeyResponse {
    PasskeyResponse {
        id: row.id,
        name: row.name,
        created_at: row.created_at.and_utc(),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
    }
}

/// The WebAuthn user handle: the user's id, which is a UUID.
fn user_handle(user_id: &str) -> Result<Uuid, ApiError> {
    Ok(Uuid::parse_str(user_id).with_context(|| format!("user id {user_id} is not a UUID"))?)
}

fn ceremony_answer(ceremony: String, options: impl serde::Serialize) -> ApiResult<HttpResponse> {
    let options = serde_json::to_value(options).context("WebAuthn options")?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(PasskeyCeremony { ceremony, options }))
}

#[utoipa::path(get, path = paths::MY_PASSKEYS, tag = "passkeys",
    responses((status = 200, description = "Oldest first", body = [PasskeyResponse]), (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, caller: CurrentUser) -> ApiResult<web::Json<Vec<PasskeyResponse>>> {
    let user_id = caller.user.id.clone();
    let rows = db::run(&state.pool, move |conn| Ok(stored::for_user(conn, &user_id)?)).await?;
    Ok(web::Json(rows.into_iter().map(response).collect()))
}

#[utoipa::path(post, path = paths::MY_PASSKEY_REGISTRATION, tag = "passkeys",
    request_body(content = ReauthenticateRequest, description = "`password` when the last password check is over 15 minutes old"),
    responses((status = 200, description = "Options for `navigator.credentials.create`", body = PasskeyCeremony),
        (status = 401, body = ErrorBody), (status = 403, description = "`reauthentication_required`", body = ErrorBody)))]
pub async fn begin_registration(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: Option<web::Json<ReauthenticateRequest>>,
) -> ApiResult<HttpResponse> {
    // A passkey signs in without the password: adding one is as sensitive as changing it.
    require_recent_password(&state, &req, &caller, body.and_then(|b| b.into_inner().password)).await?;
    let user = &caller.user;
    let existing = passkeys::of_user(&state, user.id.clone()).await?;
    let exclude = existing.iter().map(|(_, key)| key.cred_id().clone()).collect();
    let (options, ceremony) = state
        .webauthn
        .start_passkey_registration(user_handle(&user.id)?, &user.email, &user.name, Some(exclude))
        .context("starting a passkey registration")?;
    let mut options = serde_json::to_value(options).context("WebAuthn options")?;
    // Discoverable, so the passkey alone can sign in (no email typed first).
    if let Some(selection) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(|s| s.as_object_mut()) {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
    }
    let token = passkeys::begin(&state, Some(user.id.clone()), CeremonyPurpose::Register, &ceremony).await?;
    ceremony_answer(token, options)
}

#[utoipa::path(post, path = paths::MY_PASSKEYS, tag = "passkeys", request_body = NewPasskeyRequest,
    responses((status = 201, description = "Registered", body = PasskeyResponse), (status = 401, body = ErrorBody),
        (status = 409, description = "This passkey is registered already", body = ErrorBody),
        (status = 422, description = "The ceremony is over, or the credential did not verify", body = ErrorBody)))]
pub async fn finish_registration(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: web::Json<NewPasskeyRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let name = parse_name(&body.name, NAME_MAX_CHARS).map_err(|e| ApiError::field("name", e))?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(body.credential)
        .map_err(|_| ApiError::field("credential", "Send the browser's PublicKeyCredential as JSON"))?;
    let ceremony = passkeys::take::<PasskeyRegistration>(&state, &body.ceremony, CeremonyPurpose::Register).await?;
    let Some((Some(owner), ceremony)) = ceremony.filter(|(owner, _)| owner.as_deref() == Some(&caller.user.id)) else {
        return Err(ApiError::field("ceremony", CEREMONY_OVER));
    };
    let key = state
        .webauthn
        .finish_passkey_registration(&credential, &ceremony)
        .map_err(|e| ApiError::field("credential", format!("The passkey could not be verified ({e}).")))?;
    let row = NewPasskey {
        id: random_token()[..22].to_string(),
        user_id: owner,
        credential_id: credential_key(key.cred_id()),
        name,
        credential: serde_json::to_string(&key).context("a passkey")?,
        created_at: Utc::now().naive_utc(),
        last_used_at: None,
    };
    let saved = row.clone();
    let added = db::run(&state.pool, move |conn| match stored::insert(conn, &saved) {
        Err(e) if db::is_unique_violation(&e) => Ok(false),
        other => Ok(other.map(|_| true)?),
    })
    .await?;
    if !added {
        return Err(ApiError::Conflict {
            code: ErrorCode::PasskeyExists,
            message: "This passkey is registered already.".into(),
        });
    }
    audit::record(&state, &req, &caller.user, SecurityEventKind::PasskeyAdded, row.name.clone()).await;
    notices::send(&state, &req, &caller.user.email, Notice::PasskeyAdded { name: row.name.clone() });
    Ok(HttpResponse::Created().json(response(row.into())))
}

#[utoipa::path(patch, path = paths::MY_PASSKEY, tag = "passkeys", params(("id" = String, Path)),
    request_body = RenamePasskeyRequest,
    responses((status = 200, body = PasskeyResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rename(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: web::Json<RenamePasskeyRequest>,
) -> ApiResult<web::Json<PasskeyResponse>> {
    let name = parse_name(&body.name, NAME_MAX_CHARS).map_err(|e| ApiError::field("name", e))?;
    let (user_id, id) = (caller.user.id.clone(), id.into_inner());
    let renamed = db::run(&state.pool, move |conn| {
        if !stored::rename(conn, &user_id, &id, &name)? {
            return Ok(None);
        }
        Ok(stored::for_user(conn, &user_id)?.into_iter().find(|p| p.id == id))
    })
    .await?;
    renamed.map(|row| web::Json(response(row))).ok_or_else(|| ApiError::NotFound("You have no such passkey.".into()))
}

#[utoipa::path(delete, path = paths::MY_PASSKEY, tag = "passkeys", params(("id" = String, Path)),
    request_body(content = ReauthenticateRequest, description = "`password` when the last password check is over 15 minutes old"),
    responses((status = 204, description = "Deleted: it no longer signs in"), (status = 401, body = ErrorBody),
        (status = 403, description = "`reauthentication_required`", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<String>,
    body: Option<web::Json<ReauthenticateRequest>>,
) -> ApiResult<HttpResponse> {
    require_recent_password(&state, &req, &caller, body.and_then(|b| b.into_inner().password)).await?;
    let (user_id, id) = (caller.user.id.clone(), id.into_inner());
    let gone = db::run(&state.pool, move |conn| {
        let row = stored::for_user(conn, &user_id)?.into_iter().find(|p| p.id == id);
        match row {
            Some(row) if stored::delete(conn, &user_id, &row.id)? => Ok(Some(row)),
            _ => Ok(None),
        }
    })
    .await?
    .ok_or_else(|| ApiError::NotFound("You have no such passkey.".into()))?;
    audit::record(&state, &req, &caller.user, SecurityEventKind::PasskeyRemoved, gone.name.clone()).await;
    notices::send(&state, &req, &caller.user.email, Notice::PasskeyRemoved { name: gone.name });
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(security(()), post, path = paths::SESSION_PASSKEY_OPTIONS, tag = "session",
    responses((status = 200, description = "Options for `navigator.credentials.get`, any of the site's passkeys",
        body = PasskeyCeremony), (status = 429, description = "Too many from this network", body = ErrorBody)))]
pub async fn begin_sign_in(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    // Anyone may ask, and each ceremony is a row until the purge: a flood from one network stops here.
    let per_address = format!("passkey-sign-in:{}", network_key(&client_ip(&req)));
    within_hourly_limit(&state.pool, per_address, PASSKEY_SIGN_INS_PER_HOUR).await?;
    let (mut options, ceremony) =
        state.webauthn.start_discoverable_authentication().context("starting a passkey sign-in")?;
    // webauthn-rs asks for the autofill ("conditional") flow; the dashboard's button wants the dialog.
    options.mediation = None;
    let token = passkeys::begin(&state, None, CeremonyPurpose::SignIn, &ceremony).await?;
    ceremony_answer(token, options)
}

/// The passkey the browser answered with, if it is registered; and the stored row.
async fn registered(
    state: &AppState,
    credential: &PublicKeyCredential,
) -> Result<Option<(PasskeyRow, webauthn_rs::prelude::Passkey)>, ApiError> {
    let key = credential_key(credential.get_credential_id());
    let Some(row) = db::run(&state.pool, move |conn| Ok(stored::find_by_credential_id(conn, &key)?)).await? else {
        return Ok(None);
    };
    let passkey = passkeys::parse(&row)?;
    Ok(Some((row, passkey)))
}

fn credential_of(json: serde_json::Value) -> Result<PublicKeyCredential, ApiError> {
    serde_json::from_value(json)
        .map_err(|_| ApiError::field("credential", "Send the browser's PublicKeyCredential as JSON"))
}

#[utoipa::path(security(()), post, path = paths::SESSION_PASSKEY, tag = "session", request_body = PasskeySignInRequest,
    responses((status = 200, description = "Signed in without a password; sets the session and CSRF cookies",
        body = shared::v1::SignInResponse),
        (status = 401, description = "The ceremony is over, or the passkey is unknown or did not verify", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasskeySignInRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let credential = credential_of(body.credential)?;
    let Some((_, ceremony)) =
        passkeys::take::<DiscoverableAuthentication>(&state, &body.ceremony, CeremonyPurpose::SignIn).await?
    else {
        return Err(ApiError::Unauthorized(CEREMONY_OVER.into()));
    };
    let (handle, _) = state.webauthn.identify_discoverable_authentication(&credential).map_err(|_| unauthorized())?;
    let Some((row, key)) = registered(&state, &credential).await? else {
        return Err(unauthorized());
    };
    // The user handle is not signed: the stored owner of the credential decides who this is.
    if user_handle(&row.user_id)? != handle {
        return Err(unauthorized());
    }
    let user_id = row.user_id.clone();
    let Some((user, _)) = db::run(&state.pool, move |conn| Ok(users::find_with_account(conn, &user_id)?))
        .await?
        .filter(|(user, _)| user.is_active)
    else {
        return Err(unauthorized());
    };
    let result = match state.webauthn.finish_discoverable_authentication(
        &credential,
        ceremony,
        &[DiscoverableKey::from(&key)],
    ) {
        Ok(result) => result,
        Err(e) => {
            audit::record(&state, &req, &user, SecurityEventKind::SignInFailed, format!("passkey refused: {e}")).await;
            return Err(unauthorized());
        }
    };
    let name = row.name.clone();
    passkeys::record_use(&state, row, key, &result, Utc::now().naive_utc()).await?;
    audit::record(&state, &req, &user, SecurityEventKind::PasskeyUsed, name).await;
    finish_sign_in(&req, &state, user.id, AuthMethod::Passkey, StatusCode::OK).await
}

fn unauthorized() -> ApiError {
    ApiError::Unauthorized(NOT_ACCEPTED.into())
}

#[utoipa::path(security(()), post, path = paths::SESSION_TWO_FACTOR_PASSKEY_OPTIONS, tag = "session",
    request_body = ChallengeRequest,
    responses((status = 200, description = "Options for `navigator.credentials.get`, the user's passkeys",
        body = PasskeyCeremony),
        (status = 401, description = "The challenge expired or is used up", body = ErrorBody),
        (status = 422, description = "The user has no passkey", body = ErrorBody)))]
pub async fn begin_second_factor(
    state: web::Data<AppState>,
    body: web::Json<ChallengeRequest>,
) -> ApiResult<HttpResponse> {
    let challenge = live_sign_in(&state, body.challenge.expose()).await?;
    let keys: Vec<_> =
        passkeys::of_user(&state, challenge.user_id.clone()).await?.into_iter().map(|(_, k)| k).collect();
    if keys.is_empty() {
        return Err(ApiError::field("challenge", "You have no passkey: enter the code instead."));
    }
    let (options, ceremony) = state.webauthn.start_passkey_authentication(&keys).context("a passkey challenge")?;
    let token = passkeys::begin(&state, Some(challenge.user_id), CeremonyPurpose::SecondFactor, &ceremony).await?;
    ceremony_answer(token, options)
}

#[utoipa::path(security(()), post, path = paths::SESSION_TWO_FACTOR_PASSKEY, tag = "session", request_body = PasskeySignInRequest,
    responses((status = 200, description = "Signed in; sets the session and CSRF cookies", body = shared::v1::SignInResponse),
        (status = 401, description = "The challenge or ceremony is over, or the passkey did not verify", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasskeySignInRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let credential = credential_of(body.credential)?;
    let Some(token) = body.challenge.filter(|c| !c.expose().is_empty()) else {
        return Err(ApiError::field("challenge", "Send the challenge from the password step"));
    };
    let challenge = live_sign_in(&state, token.expose()).await?;
    let ceremony =
        passkeys::take::<PasskeyAuthentication>(&state, &body.ceremony, CeremonyPurpose::SecondFactor).await?;
    let Some((_, ceremony)) = ceremony.filter(|(owner, _)| owner.as_deref() == Some(&challenge.user_id)) else {
        return Err(ApiError::Unauthorized(CEREMONY_OVER.into()));
    };
    let key = registered(&state, &credential).await?.filter(|(row, _)| row.user_id == challenge.user_id);
    let verified = key.and_then(|(row, key)| {
        state.webauthn.finish_passkey_authentication(&credential, &ceremony).ok().map(|result| (row, key, result))
    });
    let user_id = challenge.user_id.clone();
    let Some((user, _)) = db::run(&state.pool, move |conn| Ok(users::find_with_account(conn, &user_id)?)).await? else {
        return Err(unauthorized());
    };
    let Some((row, key, result)) = verified else {
        audit::record(&state, &req, &user, SecurityEventKind::TwoFactorFailed, "passkey refused").await;
        return Err(unauthorized());
    };
    // The challenge is spent: only the request that deletes it signs in.
    let id = challenge.id.clone();
    if !db::run(&state.pool, move |conn| Ok(two_factor_codes::delete_taken(conn, &id)?)).await? {
        return Err(ApiError::Unauthorized(SIGN_IN_OVER.into()));
    }
    let name = row.name.clone();
    passkeys::record_use(&state, row, key, &result, Utc::now().naive_utc()).await?;
    audit::record(&state, &req, &user, SecurityEventKind::PasskeyUsed, name).await;
    finish_sign_in(&req, &state, user.id, AuthMethod::PasswordAndSecondFactor, StatusCode::OK).await
}
