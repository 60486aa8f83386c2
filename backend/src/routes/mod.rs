//! The HTTP surface: one module per resource, wired here.

pub mod accounts;
pub mod health;
pub mod me;
pub mod session;
pub mod spa;

use crate::error::ApiError;
use crate::openapi;
use actix_web::{error::JsonPayloadError, web, HttpRequest, HttpResponse, Resource};

/// Every API route. Unknown `/api` paths answer a JSON 404; anything else is the SPA's.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(web::get().to(health::healthz))).service(
        web::scope("/api")
            .service(resource("/openapi.json").route(web::get().to(openapi::serve)))
            .service(resource("/v1/accounts").route(web::post().to(accounts::sign_up)))
            .service(
                resource("/v1/session")
                    .route(web::post().to(session::sign_in))
                    .route(web::delete().to(session::sign_out)),
            )
            .service(resource("/v1/me").route(web::get().to(me::get_me)).route(web::patch().to(me::update_me)))
            .service(resource("/v1/me/password").route(web::put().to(me::change_password)))
            .default_service(web::to(not_found)),
    );
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

/// JSON bodies: size limit, and errors in the contract's shape.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(64 * 1024).error_handler(|err, _req: &HttpRequest| {
        match err {
            JsonPayloadError::ContentType => {
                ApiError::UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.".into())
            }
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::PayloadTooLarge
            }
            JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("The JSON body is not valid: {e}")),
            _ => ApiError::BadRequest("The request body could not be read.".into()),
        }
        .into()
    })
}
