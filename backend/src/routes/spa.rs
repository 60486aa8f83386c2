//! Serves the built SPA: its files, and `index.html` for every other
//! non-API path so the client-side router can take over.
//!
//! Only the SPA is compressed: its files are large and hold no secrets, while API answers are
//! small and some carry secrets next to text a caller chose (the pattern BREACH exploits).
//! `cargo xtask spa` writes a `.gz` beside each file at gzip's best level; those are sent as
//! they are, and anything else is compressed on the fly (at actix-web's fast level).

use actix_files::{Files, NamedFile};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{ContentEncoding, HeaderValue, ACCEPT_ENCODING, CACHE_CONTROL, VARY};
use actix_web::middleware::{from_fn, Compress, Next};
use actix_web::{web, HttpResponse};
use std::path::{Path, PathBuf};

/// Trunk names built assets `name-<16 hex digits>.ext`: a new build gets new names, so a
/// browser may keep them for a year; everything else (index.html above all) is revalidated.
const HASHED: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The SPA folder: the configured one, else `dist` beside the binary, else `./dist`.
pub fn locate(configured: Option<PathBuf>) -> Option<PathBuf> {
    let beside_binary = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("dist")));
    configured
        .into_iter()
        .chain(beside_binary)
        .chain(std::iter::once(PathBuf::from("dist")))
        .find(|dir| dir.join("index.html").is_file())
}

pub fn configure(cfg: &mut web::ServiceConfig, dir: Option<&Path>) {
    match dir {
        Some(dir) => {
            let index = dir.join("index.html");
            let files = Files::new("/", dir).index_file("index.html").default_handler(fn_service(
                move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        let response = NamedFile::open_async(&index).await?.into_response(&req);
                        Ok(ServiceResponse::new(req, response))
                    }
                },
            ));
            cfg.service(
                web::scope("")
                    .app_data(web::Data::new(SpaDir(dir.to_path_buf())))
                    // The last wrapped runs first: cache headers on every answer, then compression
                    // of what the build did not compress already.
                    .wrap(from_fn(precompressed))
                    .wrap(Compress::default())
                    .wrap(from_fn(cache_control))
                    .service(files),
            );
        }
        None => {
            cfg.default_service(web::to(|| async {
                HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(
                    "<h1>Keydesk</h1><p>The dashboard is not built. Run <code>cargo xtask run</code>, \
                     or set KEYDESK_SPA_DIR to the folder Trunk built.</p><p>The API is at /api/v1.</p>",
                )
            }));
        }
    }
}

struct SpaDir(PathBuf);

/// Sends `name.gz` for `/name` when the client takes gzip and the build wrote one.
async fn precompressed(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<BoxBody, impl MessageBody>>, actix_web::Error> {
    let takes_gzip = req
        .headers()
        .get(ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.split(';').next().is_some_and(|e| e.trim() == "gzip")));
    let name =
        req.path().strip_prefix('/').filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && !n.starts_with('.'));
    let found = match (takes_gzip, name, req.app_data::<web::Data<SpaDir>>()) {
        (true, Some(name), Some(dir)) if dir.0.join(name).is_file() => {
            let extension = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default();
            NamedFile::open_async(dir.0.join(format!("{name}.gz"))).await.ok().map(|file| {
                file.set_content_type(actix_files::file_extension_to_mime(extension))
                    .set_content_encoding(ContentEncoding::Gzip)
            })
        }
        _ => None,
    };
    match found {
        Some(file) => {
            let (req, _) = req.into_parts();
            let mut response = file.into_response(&req);
            response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
            Ok(ServiceResponse::new(req, response).map_into_left_body())
        }
        None => Ok(next.call(req).await?.map_into_right_body()),
    }
}

async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let hashed = is_hashed_asset(req.path());
    let mut response = next.call(req).await?;
    if response.status().is_success() {
        let value = if hashed { HASHED } else { REVALIDATE };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(response)
}

/// `/keydesk-frontend-0123456789abcdef_bg.wasm` is; `/`, `/account` and `/favicon.ico` are not.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_trunks_hashed_names_count_as_hashed() {
        assert!(is_hashed_asset("/keydesk-frontend-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/keydesk-frontend-0123456789abcdef.js"));
        assert!(is_hashed_asset("/style-fedcba9876543210.css"));
        for path in ["/", "/index.html", "/account", "/favicon.ico", "/keydesk-frontend.js", "/app-2024.js"] {
            assert!(!is_hashed_asset(path), "{path}");
        }
    }
}
