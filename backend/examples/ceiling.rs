//! The benchmark's reference: a plain actix-web JSON handler with no database
//! and no authentication, the framework's ceiling on this machine.
//! `cargo xtask bench` builds and drives it beside the real server.

use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("KEYDESK_ADDR").unwrap_or_else(|_| "127.0.0.1:8181".into());
    HttpServer::new(|| {
        App::new().route(
            "/api/v1/me",
            web::get().to(|| async {
                HttpResponse::Ok().json(serde_json::json!({
                    "id": "4f1c0d4e-8a55-4b1e-9a7e-0c1f6f0b9d11", "name": "Ann Example",
                    "email": "ann@example.com", "role": "admin",
                    "account": {"id": "0b7f3a4c-1d2e-4f5a-8b9c-1a2b3c4d5e6f", "name": "Acme"},
                }))
            }),
        )
    })
    .bind(addr)?
    .run()
    .await
}
