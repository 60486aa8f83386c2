//! Serves the built SPA: its files, and `index.html` for every other
//! non-API path so the client-side router can take over.

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::{web, HttpResponse};
use std::path::{Path, PathBuf};

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
            cfg.service(Files::new("/", dir).index_file("index.html").default_handler(fn_service(
                move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        let response = NamedFile::open_async(&index).await?.into_response(&req);
                        Ok(ServiceResponse::new(req, response))
                    }
                },
            )));
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
