//! The bundled list of common passwords, for the dashboard's live checklist: the same text the
//! server checks new passwords against, fetched when a password form opens rather than built
//! into the download.

use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::HttpResponse;

pub async fn list() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::plaintext())
        // It changes only with a new release; a day keeps it fresh enough across upgrades.
        .insert_header(CacheControl(vec![CacheDirective::Public, CacheDirective::MaxAge(86_400)]))
        .body(shared::common_passwords::LIST)
}
