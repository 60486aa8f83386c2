//! The HTTP surface: one module per resource, wired here.

pub mod access_tokens;
pub mod account_info;
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
pub mod js_library_batches;
pub mod me;
pub mod oauth_tokens;
pub mod operator;
pub mod passkeys;
pub mod password_links;
pub mod password_reset;
pub mod rest_requests;
pub mod security_events;
pub mod session;
pub mod sessions;
pub mod spa;
pub mod stripe_authorization;
pub mod two_factor;
pub mod users;

use crate::error::ApiError;
use crate::{openapi, rate_limit};
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{error::JsonPayloadError, web, HttpRequest, HttpResponse, Resource, Route};
use shared::paths;
use utoipa::openapi::HttpMethod;

/// Lists every API operation by its handler, once. Each is routed at the path and method its own
/// `#[utoipa::path]` annotation names (paths from `shared::paths`), and [`Operations`] documents the
/// same list, so the route, the document and the access check read one declaration.
macro_rules! operations {
    ($($module:ident :: $handler:ident),* $(,)?) => {
        /// Every operation: its path and the route (method and handler) to it.
        fn operations() -> Vec<(String, Route)> {
            let mut all = Vec::new();
            pastey::paste! {
                $(all.extend(operation::<$module::[<__path_ $handler>]>(|| web::route().to($module::$handler)));)*
            }
            all
        }

        /// The operations' part of the OpenAPI document ([`openapi::document`] adds the rest).
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($module::$handler),*))]
        pub struct Operations;
    };
}

operations! {
    health::healthz,
    api_auth::authenticate,
    accounts::sign_up,
    email_verification::verify,
    email_verification::resend,
    session::sign_in,
    session::sign_out,
    session::second_step,
    session::resend,
    password_reset::request,
    password_links::set_password,
    passkeys::begin_sign_in,
    passkeys::sign_in,
    passkeys::begin_second_factor,
    passkeys::second_factor,
    passkeys::list,
    passkeys::begin_registration,
    passkeys::finish_registration,
    passkeys::rename,
    passkeys::delete,
    me::get_me,
    me::update_me,
    me::change_password,
    two_factor::start,
    two_factor::verify,
    two_factor::deactivate,
    two_factor::new_recovery_code_set,
    two_factor::send_confirmation_code,
    sessions::mine,
    sessions::end_mine,
    sessions::end_my_others,
    sessions::of_user,
    sessions::end_all_of_user,
    devices::list,
    devices::forget,
    developer_keys::get_state,
    developer_keys::generate,
    developer_keys::reveal,
    access_tokens::create,
    access_tokens::list_mine,
    access_tokens::revoke_mine,
    access_tokens::list_account,
    access_tokens::revoke_in_account,
    access_tokens::get_policy,
    access_tokens::put_policy,
    api_credentials::list,
    api_credentials::revoke,
    security_events::mine,
    security_events::account,
    users::list,
    users::create,
    users::update,
    users::delete,
    users::send_reset,
    account_info::get_account,
    account_info::update_account,
    applications::list,
    applications::create,
    applications::get,
    applications::update,
    applications::delete,
    deployments::list,
    deployments::create,
    deployments::update,
    deployments::delete,
    js_libraries::list,
    js_libraries::create,
    js_libraries::get,
    js_libraries::update,
    js_libraries::delete,
    certificates::list,
    certificates::create,
    certificates::delete,
    certificates::test,
    rest_requests::send,
    integrations::list,
    integrations::create,
    integrations::update,
    integrations::delete,
    oauth_tokens::list,
    oauth_tokens::create,
    oauth_tokens::update,
    oauth_tokens::delete,
    stripe_authorization::callback,
    operator::set_stripe,
}

/// One handler's routes, at the path and methods its annotation declares.
fn operation<P: utoipa::Path>(route: impl Fn() -> Route) -> Vec<(String, Route)> {
    P::methods()
        .into_iter()
        .map(|method| {
            let method = match method {
                HttpMethod::Get => Method::GET,
                HttpMethod::Post => Method::POST,
                HttpMethod::Put => Method::PUT,
                HttpMethod::Delete => Method::DELETE,
                HttpMethod::Patch => Method::PATCH,
                HttpMethod::Head => Method::HEAD,
                HttpMethod::Options => Method::OPTIONS,
                HttpMethod::Trace => Method::TRACE,
            };
            (P::path(), route().method(method))
        })
        .collect()
}

/// Every route. Unknown `/api` paths answer a JSON 404; anything else is the SPA's.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource(paths::COMMON_PASSWORDS)
            .wrap(actix_web::middleware::Compress::default())
            .route(web::get().to(common_passwords::list)),
    )
    // Before the `/api` scope below, whose 404 would answer these.
    .service(web::redirect("/api/docs", "/api/docs/"))
    .service(openapi::docs())
    .service(resource(paths::OPENAPI).route(web::get().to(openapi::serve)));
    // One resource per path, fixed paths first: `/me/passkeys/registration` is not `/me/passkeys/{id}`.
    let mut resources: Vec<(String, Vec<Route>)> = Vec::new();
    for (path, route) in operations() {
        match resources.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push(route),
            None => resources.push((path, vec![route])),
        }
    }
    resources.sort_by_key(|(path, _)| path.contains('{'));
    for (path, routes) in resources {
        let routed = routes.into_iter().fold(resource(&path), Resource::route);
        match path.as_str() {
            paths::API_AUTH => cfg.service(
                routed
                    .app_data(api_auth::form_config())
                    .wrap(from_fn(rate_limit::limit_api_auth))
                    .default_service(web::to(api_auth::method_not_allowed)),
            ),
            paths::JS_LIBRARIES | paths::JS_LIBRARY => {
                cfg.service(routed.app_data(json_config_up_to(js_libraries::BODY_MAX_BYTES)))
            }
            _ => cfg.service(routed),
        };
    }
    cfg.service(web::scope("/api").default_service(web::to(not_found)));
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
