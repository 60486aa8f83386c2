//! Operator endpoints, authenticated by `KEYDESK_OPERATOR_TOKEN`; without it they do not exist.

use crate::db::{self, accounts};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use shared::paths;
use shared::ErrorBody;
use subtle::ConstantTimeEq;

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StripeSwitch {
    pub enabled: bool,
}

/// The operator, proven by the operator token.
pub struct Operator;

impl actix_web::FromRequest for Operator {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>();
        std::future::ready(match state {
            Some(state) => check_operator(state, request).map(|()| Operator),
            None => Err(ApiError::Unexpected(anyhow::anyhow!("application state missing"))),
        })
    }
}

fn check_operator(state: &AppState, request: &HttpRequest) -> ApiResult<()> {
    let Some(expected) = &state.settings.operator_token else {
        return Err(ApiError::NotFound("There is no such API endpoint.".into()));
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    match bool::from(given.as_bytes().ct_eq(expected.expose_secret().as_bytes())) {
        true => Ok(()),
        false => Err(ApiError::BadCredentials("Send the operator token as Authorization: Bearer ...".into())),
    }
}

#[utoipa::path(security(()), put, path = paths::OPERATOR_ACCOUNT_STRIPE, tag = "operator", params(("id" = String, Path)),
    request_body = StripeSwitch,
    responses((status = 200, body = StripeSwitch), (status = 401, body = ErrorBody),
        (status = 404, description = "No such account, or no operator token configured", body = ErrorBody)))]
pub async fn set_stripe(
    _: Operator,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<StripeSwitch>,
) -> ApiResult<HttpResponse> {
    let (id, enabled) = (id.into_inner(), body.enabled);
    match db::run(&state.pool, move |conn| Ok(accounts::set_stripe_enabled(conn, &id, enabled)?)).await? {
        0 => Err(ApiError::NotFound("There is no such account.".into())),
        _ => Ok(HttpResponse::Ok().json(StripeSwitch { enabled })),
    }
}
