//! A real HTTP server on loopback standing in for Stripe's Connect OAuth endpoints, with the documented
//! request and answer shapes: `GET /oauth/authorize` (the user's consent, decided by `deny`),
//! `POST /oauth/token` and `POST /oauth/deauthorize`, each authenticated by the platform's secret key.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const LIVE_CLIENT: &str = "ca_live_keydesk";
pub const TEST_CLIENT: &str = "ca_test_keydesk";
pub const LIVE_SECRET: &str = "sk_live_platform";
pub const TEST_SECRET: &str = "sk_test_platform";

#[derive(Default)]
pub struct Behaviour {
    /// The user declines on Stripe's page.
    pub deny: bool,
    /// Grants in this mode whatever the client id (for the mismatch test).
    pub force_livemode: Option<bool>,
    pub fail_deauthorize: bool,
    /// Deauthorization answers 200, then the connection breaks in the middle of the body.
    pub break_deauthorize: bool,
    /// Outstanding codes: code → (livemode, connected account).
    codes: HashMap<String, (bool, String)>,
    /// Every access token granted, to look for in the database.
    pub access_tokens: Vec<String>,
    pub deauthorized: Vec<String>,
    /// The last redirect back to the platform, as the browser followed it.
    pub last_redirect: Option<String>,
}

#[derive(Clone)]
pub struct StripeStandIn {
    pub url: String,
    pub behaviour: Arc<Mutex<Behaviour>>,
}

impl StripeStandIn {
    pub async fn start() -> StripeStandIn {
        let behaviour = Arc::new(Mutex::new(Behaviour::default()));
        let shared = behaviour.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(shared.clone()))
                .route("/oauth/authorize", web::get().to(authorize))
                .route("/oauth/token", web::post().to(token))
                .route("/oauth/deauthorize", web::post().to(deauthorize))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let url = format!("http://{}", server.addrs()[0]);
        tokio::spawn(server.run());
        StripeStandIn { url, behaviour }
    }

    pub fn settings(&self) -> keydesk::config::StripeSettings {
        keydesk::config::StripeSettings {
            connect_url: self.url.clone(),
            live_client_id: Some(LIVE_CLIENT.into()),
            test_client_id: Some(TEST_CLIENT.into()),
            live_secret_key: Some(LIVE_SECRET.to_string().into()),
            test_secret_key: Some(TEST_SECRET.to_string().into()),
        }
    }
}

type Shared = web::Data<Arc<Mutex<Behaviour>>>;

fn stripe_error(code: &str, description: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": code, "error_description": description}))
}

fn secret_of(request: &HttpRequest) -> Option<String> {
    let value = request.headers().get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_string)
}

async fn authorize(shared: Shared, query: web::Query<HashMap<String, String>>) -> HttpResponse {
    let (Some(client_id), Some(redirect_uri), Some(state)) =
        (query.get("client_id"), query.get("redirect_uri"), query.get("state"))
    else {
        return stripe_error("invalid_request", "client_id, redirect_uri and state are required");
    };
    if query.get("response_type").map(String::as_str) != Some("code")
        || ![LIVE_CLIENT, TEST_CLIENT].contains(&client_id.as_str())
    {
        return stripe_error("invalid_request", "Unknown client or response type");
    }
    let mut behaviour = shared.lock().unwrap();
    let mut target = reqwest::Url::parse(redirect_uri).unwrap();
    if behaviour.deny {
        target
            .query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("error_description", "The user denied your request")
            .append_pair("state", state);
    } else {
        let code = format!("ac_{}", uuid::Uuid::new_v4().simple());
        let livemode = behaviour.force_livemode.unwrap_or(client_id == LIVE_CLIENT);
        let account = format!("acct_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
        behaviour.codes.insert(code.clone(), (livemode, account));
        target
            .query_pairs_mut()
            .append_pair("code", &code)
            .append_pair("scope", "read_write")
            .append_pair("state", state);
    }
    behaviour.last_redirect = Some(target.to_string());
    HttpResponse::Found().insert_header(("location", target.to_string())).finish()
}

async fn token(shared: Shared, request: HttpRequest, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    if !matches!(secret_of(&request).as_deref(), Some(LIVE_SECRET | TEST_SECRET)) {
        return HttpResponse::Unauthorized()
            .json(json!({"error": "invalid_client", "error_description": "Invalid API Key provided"}));
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return stripe_error("unsupported_grant_type", "Only authorization_code is supported here");
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let mut behaviour = shared.lock().unwrap();
    let Some((livemode, account)) = behaviour.codes.remove(&code) else {
        return stripe_error("invalid_grant", &format!("Authorization code does not exist: {code}"));
    };
    let prefix = if livemode { "sk_live" } else { "sk_test" };
    let access_token = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    behaviour.access_tokens.push(access_token.clone());
    HttpResponse::Ok().json(json!({
        "access_token": access_token,
        "livemode": livemode,
        "refresh_token": format!("rt_{}", uuid::Uuid::new_v4().simple()),
        "token_type": "bearer",
        "stripe_publishable_key": "pk_test_publishable",
        "stripe_user_id": account,
        "scope": "read_write"
    }))
}

async fn deauthorize(shared: Shared, request: HttpRequest, form: web::Form<HashMap<String, String>>) -> HttpResponse {
    let mut behaviour = shared.lock().unwrap();
    if behaviour.break_deauthorize {
        let broken = async { Err::<web::Bytes, _>(actix_web::error::ErrorInternalServerError("cut")) };
        return HttpResponse::Ok().content_type("application/json").streaming(futures_util::stream::once(broken));
    }
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    if behaviour.fail_deauthorize || secret_of(&request).is_none() {
        return stripe_error("invalid_client", &format!("No such application: '{client_id}'"));
    }
    let account = form.get("stripe_user_id").cloned().unwrap_or_default();
    behaviour.deauthorized.push(account.clone());
    HttpResponse::Ok().json(json!({"stripe_user_id": account}))
}
