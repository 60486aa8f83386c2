//! OAuth tokens from Stripe: availability, the whole Connect OAuth flow against a stand-in for Stripe,
//! its failures, editing, assignment to deployments, and deletion with deauthorization.

use crate::helpers::{error_body, spawn_app_with, TestApp, PASSWORD};
use crate::stripe_peer::StripeStandIn;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const OPERATOR_TOKEN: &str = "operator-secret-for-tests";

/// Ann signed in on an account with Stripe enabled by the operator endpoint.
async fn stripe_app() -> (TestApp, StripeStandIn) {
    let stripe = StripeStandIn::start().await;
    let settings = stripe.settings();
    let app = spawn_app_with(|s| {
        s.stripe = settings;
        s.operator_token = Some(OPERATOR_TOKEN.to_string().into());
    })
    .await;
    let user = app.signed_up("ann@example.com").await;
    assert_eq!(app.get("/api/v1/oauth-tokens").await.status(), StatusCode::NOT_FOUND, "not before it is enabled");
    enable_stripe(&app, user["account"]["id"].as_str().unwrap()).await;
    (app, stripe)
}

/// As the operator: turns Stripe on for the account.
pub async fn enable_stripe(app: &TestApp, account: &str) {
    let response = app
        .client
        .put(app.url(&format!("/api/operator/accounts/{account}/stripe")))
        .bearer_auth(OPERATOR_TOKEN)
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

pub async fn start(app: &TestApp, token_type: &str, description: &str) -> String {
    let body = json!({"provider": "stripe", "token_type": token_type, "description": description});
    let response = app.post("/api/v1/oauth-tokens", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["authorize_url"].as_str().unwrap().to_string()
}

/// Follows a URL as the browser would, through Stripe and back to the tab; answers the tab's query.
pub async fn follow(app: &TestApp, url: &str) -> HashMap<String, String> {
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.url().path(), "/account/oauth-tokens", "the browser ends on the tab");
    response.url().query_pairs().into_owned().collect()
}

pub async fn connected(app: &TestApp, token_type: &str, description: &str) -> String {
    let outcome = follow(app, &start(app, token_type, description).await).await;
    outcome.get("added").cloned().unwrap_or_else(|| panic!("no token was added: {outcome:?}"))
}

async fn tokens(app: &TestApp) -> Value {
    app.get("/api/v1/oauth-tokens").await.json().await.unwrap()
}

#[tokio::test]
async fn the_tab_exists_only_for_accounts_an_operator_enabled() {
    let (app, _stripe) = stripe_app().await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["account"]["stripe_enabled"], true);
    assert_eq!(tokens(&app).await, json!([]));
    let bob = app.other_browser();
    bob.signed_up("bob@example.com").await;
    assert_eq!(bob.get("/api/v1/oauth-tokens").await.status(), StatusCode::NOT_FOUND);
    let body = json!({"provider": "stripe", "token_type": "test", "description": "x"});
    assert_eq!(bob.post("/api/v1/oauth-tokens", body).await.status(), StatusCode::NOT_FOUND);
    let response = app
        .client
        .put(app.url("/api/operator/accounts/whatever/stripe"))
        .bearer_auth("wrong")
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the operator endpoint needs the operator token");
}

#[tokio::test]
async fn a_test_token_is_added_through_stripe_and_stored_sealed() {
    let (app, stripe) = stripe_app().await;
    let authorize_url = start(&app, "test", "Payments IVR").await;
    let url = reqwest::Url::parse(&authorize_url).unwrap();
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], crate::stripe_peer::TEST_CLIENT);
    assert_eq!(query["response_type"], "code");
    assert!(query["redirect_uri"].ends_with("/api/v1/oauth/stripe/callback"));
    assert!(query["state"].len() >= 40, "a long random state");

    let outcome = follow(&app, &authorize_url).await;
    let id = &outcome["added"];
    let list = tokens(&app).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let token = &list[0];
    assert_eq!((token["id"].as_str(), token["token_type"].as_str()), (Some(id.as_str()), Some("test")));
    assert_eq!(token["description"], "Payments IVR");
    assert!(token["stripe_account_id"].as_str().unwrap().starts_with("acct_"));
    assert_eq!(token["created_by"], "Ann Example");

    let access_token = stripe.behaviour.lock().unwrap().access_tokens[0].clone();
    assert!(!list.to_string().contains(&access_token), "the token itself is never returned");
    let stored = app.stored_bytes(|conn| {
        use keydesk::db::schema::oauth_tokens::dsl::*;
        let rows: Vec<(String, String)> =
            oauth_tokens.select((access_token_sealed, refresh_token_sealed)).load(conn).unwrap();
        rows.into_iter().flat_map(|(a, b)| [a, b]).collect()
    });
    assert!(!String::from_utf8_lossy(&stored).contains(&access_token), "the access token is in the database in clear");
}

#[tokio::test]
async fn denied_consent_comes_back_as_a_clear_message_and_adds_nothing() {
    let (app, stripe) = stripe_app().await;
    stripe.behaviour.lock().unwrap().deny = true;
    let outcome = follow(&app, &start(&app, "test", "Declined").await).await;
    assert!(outcome["error"].contains("not allowed on Stripe"), "{outcome:?}");
    assert_eq!(tokens(&app).await, json!([]));
}

#[tokio::test]
async fn a_state_is_single_use_bound_to_its_session_and_expires() {
    let (app, stripe) = stripe_app().await;
    connected(&app, "test", "First").await;
    // The same redirect again: the state is spent.
    let replay = stripe.behaviour.lock().unwrap().last_redirect.clone().unwrap();
    let outcome = follow(&app, &replay).await;
    assert!(outcome["error"].contains("already used"), "{outcome:?}");

    // Another browser of the same user cannot finish this browser's authorization.
    let authorize_url = start(&app, "test", "Elsewhere").await;
    let other = app.other_browser();
    assert_eq!(other.sign_in("ann@example.com", PASSWORD).await.status(), StatusCode::OK);
    let outcome = follow(&other, &authorize_url).await;
    assert!(outcome.contains_key("error"), "{outcome:?}");

    // Ten minutes pass.
    let authorize_url = start(&app, "test", "Slow").await;
    {
        use keydesk::db::schema::oauth_states::dsl::*;
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
        diesel::update(oauth_states).set(expires_at.eq(past)).execute(&mut app.db()).unwrap();
    }
    let outcome = follow(&app, &authorize_url).await;
    assert!(outcome["error"].contains("10 minutes"), "{outcome:?}");
    assert_eq!(tokens(&app).await.as_array().unwrap().len(), 1, "only the first token was added");
}

#[tokio::test]
async fn a_livemode_that_does_not_match_the_chosen_type_is_refused_and_deauthorized() {
    let (app, stripe) = stripe_app().await;
    stripe.behaviour.lock().unwrap().force_livemode = Some(true);
    let outcome = follow(&app, &start(&app, "test", "Wrong mode").await).await;
    assert!(outcome["error"].contains("live-mode"), "{outcome:?}");
    assert_eq!(tokens(&app).await, json!([]));
    assert_eq!(stripe.behaviour.lock().unwrap().deauthorized.len(), 1, "the unwanted grant is revoked");
}

#[tokio::test]
async fn stripe_errors_at_the_token_exchange_are_reported() {
    let (app, _stripe) = stripe_app().await;
    let authorize_url = start(&app, "test", "Bad code").await;
    let state =
        reqwest::Url::parse(&authorize_url).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let outcome = follow(&app, &app.url(&format!("/api/v1/oauth/stripe/callback?code=ac_bogus&state={state}"))).await;
    assert!(outcome["error"].contains("Authorization code does not exist"), "{outcome:?}");
}

#[tokio::test]
async fn a_token_is_edited_assigned_to_a_deployment_and_deleted_with_deauthorization() {
    let (app, stripe) = stripe_app().await;
    let id = connected(&app, "test", "IVR payments").await;
    let response = app.patch(&format!("/api/v1/oauth-tokens/{id}"), json!({"description": "Main line payments"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["token"]["description"], "Main line payments");
    assert_eq!(updated["authorize_url"], Value::Null);

    // Changing the type re-runs the authorization, keeping the row.
    let response = app.patch(&format!("/api/v1/oauth-tokens/{id}"), json!({"token_type": "live"})).await;
    let authorize_url = response.json::<Value>().await.unwrap()["authorize_url"].as_str().unwrap().to_string();
    assert!(authorize_url.contains(crate::stripe_peer::LIVE_CLIENT));
    let outcome = follow(&app, &authorize_url).await;
    assert_eq!(outcome.get("added"), Some(&id));
    assert_eq!(tokens(&app).await[0]["token_type"], "live");

    let application: Value = app.post("/api/v1/applications", json!({"name": "IVR"})).await.json().await.unwrap();
    let deployment: Value = app
        .post("/api/v1/deployments", json!({"application_id": application["id"], "label": "Production"}))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/deployments/{}", deployment["id"].as_str().unwrap());
    let response = app.put(&path, json!({"label": "Production", "oauth_token_id": id})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let assigned = &tokens(&app).await[0]["assigned_to"];
    assert_eq!(assigned[0]["deployment_label"], "Production");
    assert_eq!(assigned[0]["application_name"], "IVR");
    let response = app.put(&path, json!({"label": "Production", "oauth_token_id": "nope"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A failed deauthorization keeps the token and says so; the user may still remove it here.
    stripe.behaviour.lock().unwrap().fail_deauthorize = true;
    let response = app.delete(&format!("/api/v1/oauth-tokens/{id}")).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = error_body(response).await;
    assert_eq!(body.code, "deauthorization_failed");
    assert!(body.error.contains("No such application"), "{}", body.error);
    assert_eq!(tokens(&app).await.as_array().unwrap().len(), 1);
    stripe.behaviour.lock().unwrap().fail_deauthorize = false;
    let account = tokens(&app).await[0]["stripe_account_id"].as_str().unwrap().to_string();
    assert_eq!(app.delete(&format!("/api/v1/oauth-tokens/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(stripe.behaviour.lock().unwrap().deauthorized, vec![account]);
    assert_eq!(tokens(&app).await, json!([]));
    let deployments: Value = app.get("/api/v1/deployments").await.json().await.unwrap();
    assert_eq!(deployments[0]["oauth_token_id"], Value::Null, "the deployment no longer has the token");
}

#[tokio::test]
async fn a_broken_connection_to_stripe_is_a_502_in_our_words_not_the_http_client_s() {
    let (app, stripe) = stripe_app().await;
    let id = connected(&app, "test", "Cut").await;
    stripe.behaviour.lock().unwrap().break_deauthorize = true;
    let response = app.delete(&format!("/api/v1/oauth-tokens/{id}")).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = error_body(response).await;
    assert_eq!(body.code, "deauthorization_failed");
    assert!(body.error.contains("Stripe could not be reached: the connection failed."), "{}", body.error);
    for internal in ["error decoding", "body", "request", "127.0.0.1", "hyper", "os error"] {
        assert!(!body.error.contains(internal), "{internal:?} in {}", body.error);
    }
}

#[tokio::test]
async fn a_failed_deauthorization_still_lets_the_user_remove_the_row() {
    let (app, stripe) = stripe_app().await;
    let id = connected(&app, "test", "Orphan").await;
    stripe.behaviour.lock().unwrap().fail_deauthorize = true;
    assert_eq!(app.delete(&format!("/api/v1/oauth-tokens/{id}")).await.status(), StatusCode::BAD_GATEWAY);
    let response = app.delete(&format!("/api/v1/oauth-tokens/{id}?local_only=true")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(tokens(&app).await, json!([]));
}
