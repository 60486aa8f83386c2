//! The OpenAPI 3 document, generated from the handlers' annotations.

use crate::routes;
use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Keydesk API", description = "Accounts, sign-in and credentials. Errors share one shape: \
        {\"error\": \"...\", \"code\": \"...\", \"fields\": {...}}."),
    paths(
        routes::health::healthz,
        routes::accounts::sign_up,
        routes::session::sign_in,
        routes::session::sign_out,
        routes::me::get_me,
        routes::me::update_me,
        routes::me::change_password,
    ),
    modifiers(&SecuritySchemes),
    tags((name = "accounts"), (name = "session"), (name = "me"), (name = "health"))
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
    }
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
