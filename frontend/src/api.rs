//! Every HTTP call the dashboard makes, in one place.

use crate::webauthn;
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::paths;
use shared::v1::{
    AccessToken, AccountInfo, AccountUser, ApiCredentialResponse, ApplicationRequest, ApplicationResponse,
    AuthorizeResponse, CertificateResponse, CertificateTestRequest, CertificateTestResponse, ChangePasswordRequest,
    CodeSentResponse, DeploymentRequest, DeploymentResponse, DeploymentUpdate, DeveloperKeyState, DeviceResponse,
    IntegrationRequest, IntegrationResponse, JsLibraryRequest, JsLibraryResponse, MeResponse, NewUserRequest,
    OAuthTokenRequest, OAuthTokenResponse, OAuthTokenUpdate, OAuthTokenUpdateResponse, PasswordConfirmation,
    PasswordResetRequest, ReauthenticateRequest, RecoveryCodesResponse, SecurityEventPage, SessionInfo,
    SetPasswordRequest, SignInRequest, SignInResponse, SignUpRequest, StartTwoFactorRequest, TwoFactorSignInRequest,
    UpdateMeRequest, UserUpdate, VerifyCodeRequest, VerifyEmailRequest,
};
use shared::v1::{
    ChallengeRequest, NewPasskeyRequest, PasskeyCeremony, PasskeyResponse, PasskeySignInRequest, RenamePasskeyRequest,
};
use shared::v1::{CreateAccessTokenRequest, TokenPolicy};
use shared::ErrorBody;
use wasm_bindgen::JsCast;

/// A failed call: the server's error body, or a stand-in when the server could not be reached.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiFailure {
    pub fn local(message: &str) -> Self {
        ApiFailure {
            status: 0,
            body: ErrorBody { error: message.into(), code: shared::ErrorCode::NetworkError, fields: None },
        }
    }

    /// A problem found before anything was sent, shown under its field.
    pub fn for_field(field: &str, problem: &str) -> Self {
        let found = ApiFailure::for_fields(vec![(field, problem.to_string())]);
        found.unwrap_or_else(|| ApiFailure::local(problem))
    }

    /// Problems found before anything was sent, each under its field; `None` when there are none.
    pub fn for_fields(problems: Vec<(&str, String)>) -> Option<Self> {
        let first = problems.first()?.1.clone();
        let mut fields = shared::FieldErrors::new();
        for (field, problem) in problems {
            fields.entry(field.to_string()).or_default().push(problem);
        }
        Some(ApiFailure::validation(first, fields))
    }

    /// What a shared rule found before anything was sent (the same verdicts the server would give),
    /// each under its field; `None` when there are none.
    pub fn for_problems(fields: shared::FieldErrors) -> Option<Self> {
        let first = fields.values().flatten().next()?.clone();
        Some(ApiFailure::validation(first, fields))
    }

    fn validation(first: String, fields: shared::FieldErrors) -> Self {
        ApiFailure {
            status: 0,
            body: ErrorBody { error: first, code: shared::ErrorCode::ValidationFailed, fields: Some(fields) },
        }
    }

    /// The problems with one field, joined, if the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        let problems = self.body.field(name);
        (!problems.is_empty()).then(|| problems.join(". "))
    }

    pub fn message(&self) -> String {
        self.body.error.clone()
    }
}

/// Whether the browser holds a session's cookies (the CSRF one is readable; the session's is not).
pub fn has_session() -> bool {
    csrf_token().is_some()
}

/// The CSRF token the server set at sign-in (double-submit cookie).
fn csrf_token() -> Option<String> {
    let document = web_sys::window()?.document()?.dyn_into::<web_sys::HtmlDocument>().ok()?;
    let cookies = document.cookie().ok()?;
    cookies.split(';').find_map(|c| c.trim().strip_prefix("keydesk_csrf=").map(str::to_string))
}

enum Verb {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

/// The body of a request: JSON already written out, or a form with a file.
enum Body {
    Json(String),
    Form(web_sys::FormData),
}

/// A call with a JSON body (or none) and a JSON answer. Only its two ends are generic: one
/// [`exchange`] serves every call (a copy of it per answer type cost 3 to 8 KB of wasm each).
async fn send<T: DeserializeOwned>(verb: Verb, path: &str, body: Option<&impl Serialize>) -> Result<T, ApiFailure> {
    let body = body.map(json).transpose()?;
    read(&exchange(verb, path, body).await?)
}

/// A JSON request body, written out.
fn json(body: &impl Serialize) -> Result<Body, ApiFailure> {
    serde_json::to_string(body).map(Body::Json).map_err(|_| unprepared())
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, ApiFailure> {
    serde_json::from_str(text).map_err(|_| ApiFailure::local("The server's answer could not be read."))
}

fn unprepared() -> ApiFailure {
    ApiFailure::local("The request could not be prepared.")
}

/// Sends the request and answers the body of a 2xx (`null` when empty), or the server's error.
async fn exchange(verb: Verb, path: &str, body: Option<Body>) -> Result<String, ApiFailure> {
    let writes = !matches!(verb, Verb::Get);
    let builder: RequestBuilder = match verb {
        Verb::Get => Request::get(path),
        Verb::Post => Request::post(path),
        Verb::Patch => Request::patch(path),
        Verb::Put => Request::put(path),
        Verb::Delete => Request::delete(path),
    };
    let builder = match csrf_token() {
        Some(token) => builder.header("X-CSRF-Token", &token),
        None => builder,
    };
    let request = match body {
        Some(Body::Json(json)) => builder.header("Content-Type", "application/json").body(json),
        // The browser sets the multipart Content-Type with its boundary.
        Some(Body::Form(form)) => builder.body(form),
        None => builder.build(),
    }
    .map_err(|_| unprepared())?;
    let response = request
        .send()
        .await
        .map_err(|_| ApiFailure::local("The server could not be reached. Check your connection."))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if (200..300).contains(&status) {
        if writes {
            crate::state::data_changed();
        }
        Ok(if text.is_empty() { "null".into() } else { text })
    } else {
        let body = serde_json::from_str(&text).unwrap_or_else(|_| ApiFailure::local("Something went wrong.").body);
        Err(ApiFailure { status, body })
    }
}

const NO_BODY: Option<&()> = None;

/// The bundled common-password list, as plain text (one a line).
pub async fn get_common_passwords() -> Result<String, ApiFailure> {
    let unreachable = || ApiFailure::local("The list of common passwords could not be fetched.");
    let response = Request::get(paths::COMMON_PASSWORDS).send().await.map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(unreachable());
    }
    response.text().await.map_err(|_| unreachable())
}

pub async fn get_me() -> Result<MeResponse, ApiFailure> {
    send(Verb::Get, paths::ME, NO_BODY).await
}

pub async fn sign_up(request: SignUpRequest) -> Result<SignInResponse, ApiFailure> {
    send(Verb::Post, paths::ACCOUNTS, Some(&request)).await
}

pub async fn sign_in(request: SignInRequest) -> Result<SignInResponse, ApiFailure> {
    send(Verb::Post, paths::SESSION, Some(&request)).await
}

pub async fn sign_out() -> Result<(), ApiFailure> {
    send(Verb::Delete, paths::SESSION, NO_BODY).await
}

pub async fn update_me(request: UpdateMeRequest) -> Result<MeResponse, ApiFailure> {
    send(Verb::Patch, paths::ME, Some(&request)).await
}

pub async fn change_password(request: ChangePasswordRequest) -> Result<(), ApiFailure> {
    send(Verb::Put, paths::MY_PASSWORD, Some(&request)).await
}

/// Generates or regenerates; `password` when the server asks for a fresh check.
pub async fn generate_developer_key(password: Option<String>) -> Result<DeveloperKey, ApiFailure> {
    developer_key(paths::MY_DEVELOPER_KEY, password).await
}

pub async fn reveal_developer_key(password: Option<String>) -> Result<DeveloperKey, ApiFailure> {
    developer_key(paths::MY_DEVELOPER_KEY_REVEAL, password).await
}

/// The key and its state, as the dashboard reads a [`shared::v1::DeveloperKeyResponse`].
pub struct DeveloperKey {
    pub key: shared::Secret,
    pub state: DeveloperKeyState,
}

/// Reads the answer twice, as the key and as its state, rather than through the response's
/// flattened state (serde's buffered `flatten`, about 4 KB of wasm).
async fn developer_key(path: &str, password: Option<String>) -> Result<DeveloperKey, ApiFailure> {
    #[derive(serde::Deserialize)]
    struct Key {
        key: shared::Secret,
    }
    let request = ReauthenticateRequest { password: password.map(Into::into) };
    let text = exchange(Verb::Post, path, Some(json(&request)?)).await?;
    Ok(DeveloperKey { key: read::<Key>(&text)?.key, state: read(&text)? })
}

pub async fn list_api_credentials() -> Result<Vec<ApiCredentialResponse>, ApiFailure> {
    send(Verb::Get, paths::MY_API_CREDENTIALS, NO_BODY).await
}

pub async fn revoke_api_credential(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::MY_API_CREDENTIAL, &id), NO_BODY).await
}

/// The caller's personal access tokens, or (admins, `account_wide`) everyone's in the account.
pub async fn list_access_tokens(account_wide: bool) -> Result<Vec<AccessToken>, ApiFailure> {
    let path = if account_wide { paths::TOKENS } else { paths::MY_TOKENS };
    send(Verb::Get, path, NO_BODY).await
}

/// What the dashboard reads of the `201` [`shared::v1::CreatedAccessToken`]: the token and its name.
/// (Reading its flattened record goes through serde's buffered `flatten`, about 12 KB of wasm.)
#[derive(Clone, serde::Deserialize)]
pub struct NewAccessToken {
    pub token: shared::Secret,
    pub name: String,
}

/// Creates a token; the request carries the password when the server asked for a fresh check
/// (403 `reauthentication_required`).
pub async fn create_access_token(request: CreateAccessTokenRequest) -> Result<NewAccessToken, ApiFailure> {
    send(Verb::Post, paths::MY_TOKENS, Some(&request)).await
}

/// Revokes one of the caller's tokens, or (admins, `account_wide`) anyone's in the account.
pub async fn revoke_access_token(account_wide: bool, id: String) -> Result<(), ApiFailure> {
    let path = if account_wide { paths::TOKEN } else { paths::MY_TOKEN };
    send(Verb::Delete, &paths::with_id(path, &id), NO_BODY).await
}

pub async fn get_token_policy() -> Result<TokenPolicy, ApiFailure> {
    send(Verb::Get, paths::TOKEN_POLICY, NO_BODY).await
}

pub async fn save_token_policy(policy: TokenPolicy) -> Result<TokenPolicy, ApiFailure> {
    send(Verb::Put, paths::TOKEN_POLICY, Some(&policy)).await
}

pub async fn sign_in_second_step(request: TwoFactorSignInRequest) -> Result<SignInResponse, ApiFailure> {
    send(Verb::Post, paths::SESSION_TWO_FACTOR, Some(&request)).await
}

pub async fn request_password_reset(request: PasswordResetRequest) -> Result<(), ApiFailure> {
    send(Verb::Post, paths::PASSWORD_RESET, Some(&request)).await
}

/// Sends the second step's code again (at most once a minute).
pub async fn resend_sign_in_code(challenge: String) -> Result<CodeSentResponse, ApiFailure> {
    send(Verb::Post, paths::SESSION_TWO_FACTOR_RESEND, Some(&ChallengeRequest { challenge: challenge.into() })).await
}

/// Signs in with a passkey and no password: the browser offers the site's passkeys.
pub async fn sign_in_with_passkey() -> Result<SignInResponse, ApiFailure> {
    let ceremony: PasskeyCeremony = send(Verb::Post, paths::SESSION_PASSKEY_OPTIONS, NO_BODY).await?;
    let credential = webauthn::get_credential(&ceremony.options).await.map_err(|m| ApiFailure::local(&m))?;
    let request = PasskeySignInRequest { ceremony: ceremony.ceremony, credential, challenge: None };
    send(Verb::Post, paths::SESSION_PASSKEY, Some(&request)).await
}

/// Answers the second step of a password sign-in with one of the user's passkeys.
pub async fn second_step_with_passkey(challenge: String) -> Result<SignInResponse, ApiFailure> {
    let options = ChallengeRequest { challenge: challenge.clone().into() };
    let ceremony: PasskeyCeremony = send(Verb::Post, paths::SESSION_TWO_FACTOR_PASSKEY_OPTIONS, Some(&options)).await?;
    let credential = webauthn::get_credential(&ceremony.options).await.map_err(|m| ApiFailure::local(&m))?;
    let request = PasskeySignInRequest { ceremony: ceremony.ceremony, credential, challenge: Some(challenge.into()) };
    send(Verb::Post, paths::SESSION_TWO_FACTOR_PASSKEY, Some(&request)).await
}

pub async fn list_passkeys() -> Result<Vec<PasskeyResponse>, ApiFailure> {
    send(Verb::Get, paths::MY_PASSKEYS, NO_BODY).await
}

/// Makes a passkey in the browser and registers it as `name`; `password` when the server asks for
/// a fresh check (403 `reauthentication_required`).
pub async fn add_passkey(name: String, password: Option<String>) -> Result<PasskeyResponse, ApiFailure> {
    let check = ReauthenticateRequest { password: password.map(Into::into) };
    let ceremony: PasskeyCeremony = send(Verb::Post, paths::MY_PASSKEY_REGISTRATION, Some(&check)).await?;
    let credential = webauthn::create_credential(&ceremony.options).await.map_err(|m| ApiFailure::local(&m))?;
    let request = NewPasskeyRequest { ceremony: ceremony.ceremony, name, credential };
    send(Verb::Post, paths::MY_PASSKEYS, Some(&request)).await
}

pub async fn rename_passkey(id: String, name: String) -> Result<PasskeyResponse, ApiFailure> {
    send(Verb::Patch, &paths::with_id(paths::MY_PASSKEY, &id), Some(&RenamePasskeyRequest { name })).await
}

pub async fn delete_passkey(id: String, password: Option<String>) -> Result<(), ApiFailure> {
    send(
        Verb::Delete,
        &paths::with_id(paths::MY_PASSKEY, &id),
        Some(&ReauthenticateRequest { password: password.map(Into::into) }),
    )
    .await
}

pub async fn start_two_factor(request: StartTwoFactorRequest) -> Result<CodeSentResponse, ApiFailure> {
    send(Verb::Post, paths::MY_TWO_FACTOR, Some(&request)).await
}

pub async fn verify_two_factor(code: String) -> Result<RecoveryCodesResponse, ApiFailure> {
    send(Verb::Post, paths::MY_TWO_FACTOR_VERIFY, Some(&VerifyCodeRequest { code: code.into() })).await
}

pub async fn deactivate_two_factor(password: String, two_factor_code: Option<String>) -> Result<(), ApiFailure> {
    send(
        Verb::Delete,
        paths::MY_TWO_FACTOR,
        Some(&PasswordConfirmation { password: password.into(), two_factor_code: two_factor_code.map(Into::into) }),
    )
    .await
}

pub async fn new_recovery_codes(password: String) -> Result<RecoveryCodesResponse, ApiFailure> {
    let body = PasswordConfirmation { password: password.into(), two_factor_code: None };
    send(Verb::Post, paths::MY_TWO_FACTOR_RECOVERY_CODES, Some(&body)).await
}

/// Sends a code to the method in force, for a change that needs the second factor.
pub async fn send_confirmation_code() -> Result<CodeSentResponse, ApiFailure> {
    send(Verb::Post, paths::MY_TWO_FACTOR_CONFIRMATION_CODE, NO_BODY).await
}

pub async fn list_devices() -> Result<Vec<DeviceResponse>, ApiFailure> {
    send(Verb::Get, paths::MY_DEVICES, NO_BODY).await
}

pub async fn list_sessions() -> Result<Vec<SessionInfo>, ApiFailure> {
    send(Verb::Get, paths::MY_SESSIONS, NO_BODY).await
}

pub async fn end_session(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::MY_SESSION, &id), NO_BODY).await
}

pub async fn end_other_sessions() -> Result<(), ApiFailure> {
    send(Verb::Delete, paths::MY_SESSIONS, NO_BODY).await
}

pub async fn sign_user_out_everywhere(user_id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::USER_SESSIONS, &user_id), NO_BODY).await
}

pub async fn forget_device(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::MY_DEVICE, &id), NO_BODY).await
}

pub async fn list_js_libraries() -> Result<Vec<JsLibraryResponse>, ApiFailure> {
    send(Verb::Get, paths::JS_LIBRARIES, NO_BODY).await
}

/// Adds a library, or saves it when `id` is given.
pub async fn save_js_library(id: Option<String>, request: JsLibraryRequest) -> Result<JsLibraryResponse, ApiFailure> {
    match id {
        Some(id) => send(Verb::Put, &paths::with_id(paths::JS_LIBRARY, &id), Some(&request)).await,
        None => send(Verb::Post, paths::JS_LIBRARIES, Some(&request)).await,
    }
}

pub async fn delete_js_library(id: String, detach: bool) -> Result<(), ApiFailure> {
    send(Verb::Delete, &format!("{}?detach={detach}", paths::with_id(paths::JS_LIBRARY, &id)), NO_BODY).await
}

pub async fn list_applications() -> Result<Vec<ApplicationResponse>, ApiFailure> {
    send(Verb::Get, paths::APPLICATIONS, NO_BODY).await
}

/// Creates an application, or saves it when `id` is given.
pub async fn save_application(
    id: Option<String>,
    request: ApplicationRequest,
) -> Result<ApplicationResponse, ApiFailure> {
    match id {
        Some(id) => send(Verb::Put, &paths::with_id(paths::APPLICATION, &id), Some(&request)).await,
        None => send(Verb::Post, paths::APPLICATIONS, Some(&request)).await,
    }
}

pub async fn delete_application(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::APPLICATION, &id), NO_BODY).await
}

pub async fn create_deployment(request: DeploymentRequest) -> Result<DeploymentResponse, ApiFailure> {
    send(Verb::Post, paths::DEPLOYMENTS, Some(&request)).await
}

pub async fn update_deployment(id: String, request: DeploymentUpdate) -> Result<DeploymentResponse, ApiFailure> {
    send(Verb::Put, &paths::with_id(paths::DEPLOYMENT, &id), Some(&request)).await
}

pub async fn delete_deployment(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::DEPLOYMENT, &id), NO_BODY).await
}

pub async fn list_certificates() -> Result<Vec<CertificateResponse>, ApiFailure> {
    send(Verb::Get, paths::CERTIFICATES, NO_BODY).await
}

/// Uploads the .pem file as the file picker gave it, with its domain.
pub async fn add_certificate(domain: String, file: web_sys::File) -> Result<CertificateResponse, ApiFailure> {
    let form = web_sys::FormData::new().map_err(|_| ApiFailure::local("The upload could not be prepared."))?;
    form.append_with_str("domain", &domain)
        .and_then(|()| form.append_with_blob_and_filename("file", &file, &file.name()))
        .map_err(|_| ApiFailure::local("The upload could not be prepared."))?;
    read(&exchange(Verb::Post, paths::CERTIFICATES, Some(Body::Form(form))).await?)
}

pub async fn delete_certificate(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::CERTIFICATE, &id), NO_BODY).await
}

pub async fn test_certificate(id: String, url: Option<String>) -> Result<CertificateTestResponse, ApiFailure> {
    send(Verb::Post, &paths::with_id(paths::CERTIFICATE_TEST, &id), Some(&CertificateTestRequest { url })).await
}

pub async fn list_oauth_tokens() -> Result<Vec<OAuthTokenResponse>, ApiFailure> {
    send(Verb::Get, paths::OAUTH_TOKENS, NO_BODY).await
}

/// Starts Stripe's authorization; the answer says where to send the browser.
pub async fn start_oauth_token(request: OAuthTokenRequest) -> Result<AuthorizeResponse, ApiFailure> {
    send(Verb::Post, paths::OAUTH_TOKENS, Some(&request)).await
}

pub async fn update_oauth_token(id: String, request: OAuthTokenUpdate) -> Result<OAuthTokenUpdateResponse, ApiFailure> {
    send(Verb::Patch, &paths::with_id(paths::OAUTH_TOKEN, &id), Some(&request)).await
}

/// Deauthorizes at Stripe, then removes it; `local_only` skips Stripe (after a failed deauthorization).
pub async fn delete_oauth_token(id: String, local_only: bool) -> Result<(), ApiFailure> {
    send(Verb::Delete, &format!("{}?local_only={local_only}", paths::with_id(paths::OAUTH_TOKEN, &id)), NO_BODY).await
}

/// Leaves the app for `url` (Stripe's authorize page).
pub fn go_to(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(url);
    }
}

pub async fn list_integrations() -> Result<Vec<IntegrationResponse>, ApiFailure> {
    send(Verb::Get, paths::INTEGRATIONS, NO_BODY).await
}

/// Adds an integration, or saves it when `id` is given.
pub async fn save_integration(
    id: Option<String>,
    request: IntegrationRequest,
) -> Result<IntegrationResponse, ApiFailure> {
    match id {
        Some(id) => send(Verb::Put, &paths::with_id(paths::INTEGRATION, &id), Some(&request)).await,
        None => send(Verb::Post, paths::INTEGRATIONS, Some(&request)).await,
    }
}

pub async fn delete_integration(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::INTEGRATION, &id), NO_BODY).await
}

pub async fn list_users() -> Result<Vec<AccountUser>, ApiFailure> {
    send(Verb::Get, paths::USERS, NO_BODY).await
}

pub async fn add_user(request: NewUserRequest) -> Result<AccountUser, ApiFailure> {
    send(Verb::Post, paths::USERS, Some(&request)).await
}

pub async fn update_user(id: String, request: UserUpdate) -> Result<AccountUser, ApiFailure> {
    send(Verb::Patch, &paths::with_id(paths::USER, &id), Some(&request)).await
}

pub async fn delete_user(id: String) -> Result<(), ApiFailure> {
    send(Verb::Delete, &paths::with_id(paths::USER, &id), NO_BODY).await
}

pub async fn send_password_reset(id: String) -> Result<(), ApiFailure> {
    send(Verb::Post, &paths::with_id(paths::USER_PASSWORD_RESET, &id), NO_BODY).await
}

pub async fn set_password(request: SetPasswordRequest) -> Result<(), ApiFailure> {
    send(Verb::Post, paths::PASSWORD, Some(&request)).await
}

/// Uses the link a sign-up was emailed.
pub async fn verify_email(token: String) -> Result<(), ApiFailure> {
    send(Verb::Post, paths::EMAIL_VERIFICATION, Some(&VerifyEmailRequest { token: token.into() })).await
}

/// Asks for the verification link again.
pub async fn resend_verification_link() -> Result<(), ApiFailure> {
    send(Verb::Post, paths::MY_EMAIL_VERIFICATION, NO_BODY).await
}

pub async fn get_account_info() -> Result<AccountInfo, ApiFailure> {
    send(Verb::Get, paths::ACCOUNT, NO_BODY).await
}

pub async fn save_account_info(request: AccountInfo) -> Result<AccountInfo, ApiFailure> {
    send(Verb::Put, paths::ACCOUNT, Some(&request)).await
}

/// One page of the security log: the caller's own, or (admins) the account's, filtered by kind and user.
pub async fn security_events(
    account_wide: bool,
    page: u32,
    kind: Option<String>,
    user_id: Option<String>,
) -> Result<SecurityEventPage, ApiFailure> {
    let base = if account_wide { paths::SECURITY_EVENTS } else { paths::MY_SECURITY_EVENTS };
    let mut path = format!("{base}?page={page}&per_page=20");
    for (name, value) in [("kind", kind), ("user_id", user_id)] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            path.push_str(&format!("&{name}={}", js_sys::encode_uri_component(&value)));
        }
    }
    send(Verb::Get, &path, NO_BODY).await
}
