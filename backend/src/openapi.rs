//! The OpenAPI 3 document, generated from the handlers' annotations.

use crate::routes;
use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Keydesk API", description = "Accounts, sign-in and credentials. Errors share one shape: \
        {\"error\": \"...\", \"code\": \"...\", \"fields\": {...}}."),
    paths(
        routes::health::healthz,
        routes::accounts::sign_up,
        routes::email_verification::verify,
        routes::email_verification::resend,
        routes::session::sign_in,
        routes::session::sign_out,
        routes::session::second_step,
        routes::session::resend,
        routes::two_factor::start,
        routes::two_factor::verify,
        routes::two_factor::deactivate,
        routes::two_factor::new_recovery_code_set,
        routes::two_factor::send_confirmation_code,
        routes::sessions::mine,
        routes::sessions::end_mine,
        routes::sessions::end_my_others,
        routes::sessions::of_user,
        routes::sessions::end_all_of_user,
        routes::password_reset::request,
        routes::passkeys::list,
        routes::passkeys::begin_registration,
        routes::passkeys::finish_registration,
        routes::passkeys::rename,
        routes::passkeys::delete,
        routes::passkeys::begin_sign_in,
        routes::passkeys::sign_in,
        routes::passkeys::begin_second_factor,
        routes::passkeys::second_factor,
        routes::devices::list,
        routes::applications::list,
        routes::applications::create,
        routes::applications::get,
        routes::applications::update,
        routes::applications::delete,
        routes::deployments::list,
        routes::deployments::create,
        routes::deployments::update,
        routes::deployments::delete,
        routes::certificates::list,
        routes::certificates::create,
        routes::certificates::delete,
        routes::certificates::test,
        routes::rest_requests::send,
        routes::security_events::mine,
        routes::security_events::account,
        routes::users::list,
        routes::users::create,
        routes::users::update,
        routes::users::delete,
        routes::users::send_reset,
        routes::users::set_password,
        routes::users::get_account,
        routes::users::update_account,
        routes::integrations::list,
        routes::integrations::create,
        routes::integrations::update,
        routes::integrations::delete,
        routes::oauth_tokens::list,
        routes::oauth_tokens::create,
        routes::oauth_tokens::callback,
        routes::oauth_tokens::update,
        routes::oauth_tokens::delete,
        routes::operator::set_stripe,
        routes::js_libraries::list,
        routes::js_libraries::create,
        routes::js_libraries::get,
        routes::js_libraries::update,
        routes::js_libraries::delete,
        routes::devices::forget,
        routes::me::get_me,
        routes::me::update_me,
        routes::me::change_password,
        routes::developer_keys::get_state,
        routes::developer_keys::generate,
        routes::developer_keys::reveal,
        routes::access_tokens::create,
        routes::access_tokens::list_mine,
        routes::access_tokens::revoke_mine,
        routes::access_tokens::list_account,
        routes::access_tokens::revoke_in_account,
        routes::access_tokens::get_policy,
        routes::access_tokens::put_policy,
        routes::api_credentials::list,
        routes::api_credentials::revoke,
        routes::api_auth::authenticate,
    ),
    modifiers(&SecuritySchemes),
    tags((name = "accounts"), (name = "session"), (name = "me"), (name = "developer keys"), (name = "two-factor"), (name = "sessions", description = "Where the caller is signed in"), (name = "passkeys", description = "WebAuthn passkeys: a second factor, and sign-in without a password"), (name = "applications"), (name = "js libraries"), (name = "security log"), (name = "users", description = "Admin options: the account's users and details"), (name = "integrations", description = "Everyone lists; admins add, edit and delete"), (name = "oauth tokens", description = "Stripe Connect tokens (accounts with Stripe enabled)"), (name = "operator", description = "For the operator: Authorization: Bearer KEYDESK_OPERATOR_TOKEN"), (name = "certificates", description = "Client certificates and the outbound REST/SOAP requests that present them"), (name = "api credentials"), (name = "access tokens", description = "Personal access tokens (kdt_…): scoped, expiring, optionally limited to networks"),
        (name = "auth", description = "The original authentication endpoint (form-urlencoded)"), (name = "health"))
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::session::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "csrf_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The csrf_token from sign-in; required on writes authenticated by the session cookie.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A developer key: `Authorization: Bearer kd_...`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            crate::auth::scopes::ACCESS_TOKEN_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token: `Authorization: Bearer kdt_...`. An operation lists the one scope \
                         it needs (`resource:read` or `resource:write`; write implies read); one that lists none \
                         refuses tokens (403 `insufficient_scope`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("Email and developer key, or the login and password returned by POST /api/auth"))
                    .build(),
            ),
        );
    }
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// The interactive API page at `/api/docs/`, with Swagger UI's files built into the
/// binary (the `vendored` feature), so it works offline.
pub fn docs() -> SwaggerUi {
    let document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    SwaggerUi::new("/api/docs/{_:.*}").external_url_unchecked("/api/openapi.json", document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_every_error_code() {
        let document = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let listed = &document["components"]["schemas"]["ErrorCode"]["enum"];
        for code in shared::ErrorCode::ALL {
            assert!(listed.as_array().unwrap().iter().any(|c| c == code.as_str()), "{code} in {listed}");
        }
        assert_eq!(
            document["components"]["schemas"]["ErrorBody"]["properties"]["code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
    }
}
