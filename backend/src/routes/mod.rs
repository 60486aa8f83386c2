//! The HTTP surface: one module per resource, wired here.

pub mod access_tokens;
pub mod accounts;
pub mod api_auth;
pub mod api_credentials;
pub mod applications;
pub mod certificates;
pub mod common_passwords;
pub mod deployments;
pub mod developer_keys;
pub mod devices;
pub mod email_verification;
pub mod health;
pub mod integrations;
pub mod js_libraries;
pub mod me;
pub mod oauth_tokens;
pub mod operator;
pub mod passkeys;
pub mod password_reset;
pub mod rest_requests;
pub mod security_events;
pub mod session;
pub mod sessions;
pub mod spa;
pub mod two_factor;
pub mod users;

use crate::error::ApiError;
use crate::{openapi, rate_limit};
use actix_web::middleware::from_fn;
use actix_web::{error::JsonPayloadError, web, HttpRequest, HttpResponse, Resource};

/// Every API route. Unknown `/api` paths answer a JSON 404; anything else is the SPA's.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(web::get().to(health::healthz)))
        .service(
            resource("/common-passwords.txt")
                .wrap(actix_web::middleware::Compress::default())
                .route(web::get().to(common_passwords::list)),
        )
        // Before the /api scope, which would answer 404 for these.
        .service(web::redirect("/api/docs", "/api/docs/"))
        .service(openapi::docs())
        .service(
            web::scope("/api")
                .service(resource("/openapi.json").route(web::get().to(openapi::serve)))
                .service(
                    web::resource("/auth")
                        .app_data(api_auth::form_config())
                        .wrap(from_fn(rate_limit::limit_api_auth))
                        .route(web::post().to(api_auth::authenticate))
                        .default_service(web::to(api_auth::method_not_allowed)),
                )
                .service(resource("/v1/accounts").route(web::post().to(accounts::sign_up)))
                .service(
                    resource("/v1/session")
                        .route(web::post().to(session::sign_in))
                        .route(web::delete().to(session::sign_out)),
                )
                .service(resource("/v1/session/two-factor").route(web::post().to(session::second_step)))
                .service(resource("/v1/session/two-factor/resend").route(web::post().to(session::resend)))
                .service(resource("/v1/password-reset").route(web::post().to(password_reset::request)))
                .service(resource("/v1/session/passkey-options").route(web::post().to(passkeys::begin_sign_in)))
                .service(resource("/v1/session/passkey").route(web::post().to(passkeys::sign_in)))
                .service(
                    resource("/v1/session/two-factor/passkey-options")
                        .route(web::post().to(passkeys::begin_second_factor)),
                )
                .service(resource("/v1/session/two-factor/passkey").route(web::post().to(passkeys::second_factor)))
                .service(
                    resource("/v1/me/passkeys")
                        .route(web::get().to(passkeys::list))
                        .route(web::post().to(passkeys::finish_registration)),
                )
                .service(resource("/v1/me/passkeys/registration").route(web::post().to(passkeys::begin_registration)))
                .service(
                    resource("/v1/me/passkeys/{id}")
                        .route(web::patch().to(passkeys::rename))
                        .route(web::delete().to(passkeys::delete)),
                )
                .service(resource("/v1/email-verification").route(web::post().to(email_verification::verify)))
                .service(resource("/v1/me/email-verification").route(web::post().to(email_verification::resend)))
                .service(resource("/v1/me").route(web::get().to(me::get_me)).route(web::patch().to(me::update_me)))
                .service(
                    resource("/v1/me/two-factor")
                        .route(web::post().to(two_factor::start))
                        .route(web::delete().to(two_factor::deactivate)),
                )
                .service(
                    resource("/v1/applications")
                        .route(web::get().to(applications::list))
                        .route(web::post().to(applications::create)),
                )
                .service(
                    resource("/v1/applications/{id}")
                        .route(web::get().to(applications::get))
                        .route(web::put().to(applications::update))
                        .route(web::delete().to(applications::delete)),
                )
                .service(
                    resource("/v1/deployments")
                        .route(web::get().to(deployments::list))
                        .route(web::post().to(deployments::create)),
                )
                .service(
                    resource("/v1/deployments/{id}")
                        .route(web::put().to(deployments::update))
                        .route(web::delete().to(deployments::delete)),
                )
                .service(
                    resource("/v1/js-libraries")
                        .app_data(json_config_up_to(js_libraries::BODY_MAX_BYTES))
                        .route(web::get().to(js_libraries::list))
                        .route(web::post().to(js_libraries::create)),
                )
                .service(
                    resource("/v1/js-libraries/{id}")
                        .app_data(json_config_up_to(js_libraries::BODY_MAX_BYTES))
                        .route(web::get().to(js_libraries::get))
                        .route(web::put().to(js_libraries::update))
                        .route(web::delete().to(js_libraries::delete)),
                )
                .service(
                    resource("/v1/certificates")
                        .route(web::get().to(certificates::list))
                        .route(web::post().to(certificates::create)),
                )
                .service(resource("/v1/certificates/{id}").route(web::delete().to(certificates::delete)))
                .service(resource("/v1/certificates/{id}/test").route(web::post().to(certificates::test)))
                .service(
                    resource("/v1/oauth-tokens")
                        .route(web::get().to(oauth_tokens::list))
                        .route(web::post().to(oauth_tokens::create)),
                )
                .service(
                    resource("/v1/oauth-tokens/{id}")
                        .route(web::patch().to(oauth_tokens::update))
                        .route(web::delete().to(oauth_tokens::delete)),
                )
                .service(resource("/v1/oauth/stripe/callback").route(web::get().to(oauth_tokens::callback)))
                .service(resource("/operator/accounts/{id}/stripe").route(web::put().to(operator::set_stripe)))
                .service(
                    resource("/v1/integrations")
                        .route(web::get().to(integrations::list))
                        .route(web::post().to(integrations::create)),
                )
                .service(
                    resource("/v1/integrations/{id}")
                        .route(web::put().to(integrations::update))
                        .route(web::delete().to(integrations::delete)),
                )
                .service(resource("/v1/users").route(web::get().to(users::list)).route(web::post().to(users::create)))
                .service(
                    resource("/v1/users/{id}")
                        .route(web::patch().to(users::update))
                        .route(web::delete().to(users::delete)),
                )
                .service(resource("/v1/users/{id}/password-reset").route(web::post().to(users::send_reset)))
                .service(
                    resource("/v1/users/{id}/sessions")
                        .route(web::get().to(sessions::of_user))
                        .route(web::delete().to(sessions::end_all_of_user)),
                )
                .service(
                    resource("/v1/me/sessions")
                        .route(web::get().to(sessions::mine))
                        .route(web::delete().to(sessions::end_my_others)),
                )
                .service(resource("/v1/me/sessions/{id}").route(web::delete().to(sessions::end_mine)))
                .service(resource("/v1/password").route(web::post().to(users::set_password)))
                .service(
                    resource("/v1/account")
                        .route(web::get().to(users::get_account))
                        .route(web::put().to(users::update_account)),
                )
                .service(resource("/v1/me/security-events").route(web::get().to(security_events::mine)))
                .service(resource("/v1/security-events").route(web::get().to(security_events::account)))
                .service(resource("/v1/rest-requests").route(web::post().to(rest_requests::send)))
                .service(resource("/v1/me/devices").route(web::get().to(devices::list)))
                .service(resource("/v1/me/devices/{id}").route(web::delete().to(devices::forget)))
                .service(resource("/v1/me/two-factor/verify").route(web::post().to(two_factor::verify)))
                .service(
                    resource("/v1/me/two-factor/confirmation-code")
                        .route(web::post().to(two_factor::send_confirmation_code)),
                )
                .service(
                    resource("/v1/me/two-factor/recovery-codes")
                        .route(web::post().to(two_factor::new_recovery_code_set)),
                )
                .service(resource("/v1/me/password").route(web::put().to(me::change_password)))
                .service(
                    resource("/v1/me/developer-key")
                        .route(web::get().to(developer_keys::get_state))
                        .route(web::post().to(developer_keys::generate)),
                )
                .service(resource("/v1/me/developer-key/reveal").route(web::post().to(developer_keys::reveal)))
                .service(
                    resource("/v1/me/tokens")
                        .route(web::get().to(access_tokens::list_mine))
                        .route(web::post().to(access_tokens::create)),
                )
                .service(resource("/v1/me/tokens/{id}").route(web::delete().to(access_tokens::revoke_mine)))
                .service(resource("/v1/tokens").route(web::get().to(access_tokens::list_account)))
                .service(resource("/v1/tokens/{id}").route(web::delete().to(access_tokens::revoke_in_account)))
                .service(
                    resource("/v1/account/token-policy")
                        .route(web::get().to(access_tokens::get_policy))
                        .route(web::put().to(access_tokens::put_policy)),
                )
                .service(resource("/v1/me/api-credentials").route(web::get().to(api_credentials::list)))
                .service(resource("/v1/me/api-credentials/{id}").route(web::delete().to(api_credentials::revoke)))
                .default_service(web::to(not_found)),
        );
}

/// How browsers reach Keydesk, for links in mail and OAuth redirects: the configured public URL, else
/// the address this server listens on.
pub fn public_base(state: &crate::state::AppState) -> String {
    // Never the request's Host or X-Forwarded-Host: whoever sends the request chooses those, and a
    // sign-up naming someone else's address would mail them a link to the sender's own site.
    state.settings.public_url.clone().unwrap_or_else(|| match state.settings.addr.parse::<std::net::SocketAddr>() {
        Ok(addr) if addr.ip().is_unspecified() => format!("http://localhost:{}", addr.port()),
        _ => format!("http://{}", state.settings.addr),
    })
}

/// A resource whose unmatched methods get the contract's 405 body.
fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("There is no such API endpoint.".into()))
}

/// Query strings: errors in the contract's shape.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _| ApiError::BadRequest(format!("The query string is not valid: {err}")).into())
}

/// The largest JSON body most routes take.
const JSON_MAX_BYTES: usize = 64 * 1024;

/// JSON bodies: size limit, and errors in the contract's shape.
pub fn json_config() -> web::JsonConfig {
    json_config_up_to(JSON_MAX_BYTES)
}

/// [`json_config`] for a route whose bodies may be larger.
pub fn json_config_up_to(max_bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(max_bytes).error_handler(|err, _req: &HttpRequest| {
        match err {
            JsonPayloadError::ContentType => {
                ApiError::UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.".into())
            }
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::PayloadTooLarge
            }
            JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("The JSON body is not valid: {e}")),
            JsonPayloadError::Payload(e) if crate::slow_clients::timed_out(&e) => ApiError::RequestTimeout,
            _ => ApiError::BadRequest("The request body could not be read.".into()),
        }
        .into()
    })
}
