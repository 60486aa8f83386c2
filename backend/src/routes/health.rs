//! `GET /healthz`: liveness and database reachability.

use crate::db::{self, pool::ping};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use shared::paths;
use shared::v1::HealthResponse;

#[utoipa::path(security(()), get, path = paths::HEALTHZ, tag = "health",
    responses((status = 200, body = HealthResponse), (status = 503, body = HealthResponse)))]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let reachable = db::run(&state.pool, |conn| Ok(ping(conn))).await.unwrap_or(false);
    if reachable {
        HttpResponse::Ok().json(HealthResponse { status: "ok".into(), database: "reachable".into() })
    } else {
        HttpResponse::ServiceUnavailable()
            .json(HealthResponse { status: "degraded".into(), database: "unreachable".into() })
    }
}
