//! Email squatting and enumeration (issue 15, item 14): sign-up tells nobody whether an address is
//! in use, and an unverified sign-up reserves nothing.

use crate::helpers::{error_body, spawn_app_mailing_to, TestApp, PASSWORD};
use crate::peers::SmtpServer;
use diesel::prelude::*;
use keydesk::db::schema::password_tokens;
use reqwest::StatusCode;
use serde_json::{json, Value};

const OWNER: &str = "ann@example.com";
const OTHER_PASSWORD: &str = "0ther-secret!";

async fn world() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    (spawn_app_mailing_to(&smtp).await, smtp)
}

async fn sign_up_as(browser: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let body = json!({"account_name": "Squat", "name": "Mallory", "email": email, "password": password});
    browser.post("/api/v1/accounts", body).await
}

async fn me(browser: &TestApp) -> Value {
    browser.get("/api/v1/me").await.json().await.unwrap()
}

/// The keys of a JSON object, all the way down: what the shape of an answer reveals.
fn shape(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.iter().flat_map(|(k, v)| [vec![k.clone()], shape(v)].concat()).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn signing_up_with_an_address_in_use_answers_as_for_a_new_one_and_tells_the_owner() {
    let (app, smtp) = world().await;
    app.signed_up_verified(OWNER, &smtp).await;

    let attacker = app.other_browser();
    let taken = sign_up_as(&attacker, "ANN@example.com", OTHER_PASSWORD).await;
    let fresh = sign_up_as(&app.other_browser(), "new@example.com", OTHER_PASSWORD).await;
    assert_eq!(taken.status(), StatusCode::CREATED);
    assert_eq!(fresh.status(), StatusCode::CREATED);
    let (taken, fresh): (Value, Value) = (taken.json().await.unwrap(), fresh.json().await.unwrap());
    assert_eq!(shape(&taken), shape(&fresh));
    assert_eq!(taken["user"]["email_verified"], false);
    assert_eq!(me(&attacker).await["email"], "ANN@example.com", "signed in, as any sign-up is");

    let notice = smtp.wait_for_matching(OWNER, "Someone tried to create", 1).await;
    assert!(notice.data.contains("unchanged"), "{}", notice.data);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.matching(OWNER, "verify-email?token").len(), 1, "only the owner's own link was ever sent");
    assert_eq!(app.other_browser().sign_in(OWNER, PASSWORD).await.status(), StatusCode::OK, "the owner's sign-in");
    let response = app.other_browser().sign_in(OWNER, OTHER_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the attacker's password opens nothing at the address");
}

#[tokio::test]
async fn a_new_sign_up_is_verified_by_its_link_once_within_24_hours() {
    let (app, smtp) = world().await;
    let user = app.signed_up(OWNER).await;
    assert_eq!(user["email_verified"], false);
    assert_eq!(me(&app).await["email_verified"], false);
    let key = app.post("/api/v1/me/developer-key", json!({})).await;
    assert_eq!(key.status(), StatusCode::CREATED, "no feature waits for verification");

    let token = smtp.wait_for_link(OWNER, "verify-email", 1).await;
    let expires_at: chrono::NaiveDateTime =
        password_tokens::table.select(password_tokens::expires_at).first(&mut app.db()).unwrap();
    let hours = (expires_at - chrono::Utc::now().naive_utc()).num_minutes();
    assert!((23 * 60..=24 * 60).contains(&hours), "valid 24 hours: {hours} minutes");

    let anyone = app.other_browser();
    assert_eq!(
        anyone.post("/api/v1/email-verification", json!({"token": token})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(me(&app).await["email_verified"], true);
    let again = anyone.post("/api/v1/email-verification", json!({"token": token})).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_body(again).await.field("token").is_empty());
}

#[tokio::test]
async fn an_expired_verification_link_does_nothing() {
    let (app, smtp) = world().await;
    app.signed_up(OWNER).await;
    let token = smtp.wait_for_link(OWNER, "verify-email", 1).await;
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    diesel::update(password_tokens::table).set(password_tokens::expires_at.eq(past)).execute(&mut app.db()).unwrap();
    let response = app.post("/api/v1/email-verification", json!({"token": token})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(me(&app).await["email_verified"], false);
}

#[tokio::test]
async fn the_owner_s_verified_sign_up_takes_the_address_from_an_unverified_squatter() {
    let (app, smtp) = world().await;
    let squatter = app.other_browser();
    assert_eq!(sign_up_as(&squatter, OWNER, OTHER_PASSWORD).await.status(), StatusCode::CREATED);
    smtp.wait_for_link(OWNER, "verify-email", 1).await; // the squatter's link, which reached the owner

    let owner = app.other_browser();
    let response = owner.sign_up(OWNER).await;
    assert_eq!(response.status(), StatusCode::CREATED, "the address is not reserved");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], OWNER);
    let token = smtp.wait_for_link(OWNER, "verify-email", 2).await;
    assert_eq!(
        owner.post("/api/v1/email-verification", json!({"token": token})).await.status(),
        StatusCode::NO_CONTENT
    );

    assert_eq!(squatter.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the squatter's account is gone");
    assert_eq!(app.other_browser().sign_in(OWNER, OTHER_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.other_browser().sign_in(OWNER, PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(me(&owner).await["email_verified"], true);
}

#[tokio::test]
async fn an_admin_s_invitation_takes_the_address_from_an_unverified_squatter() {
    let (app, smtp) = world().await;
    app.signed_up(OWNER).await;
    let squatter = app.other_browser();
    assert_eq!(sign_up_as(&squatter, "sam@example.com", OTHER_PASSWORD).await.status(), StatusCode::CREATED);

    let body = json!({"first_name": "Sam", "last_name": "Smith", "email": "sam@example.com"});
    let response = app.post("/api/v1/users", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    smtp.wait_for_link("sam@example.com", "set-password", 1).await;
    assert_eq!(squatter.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the squatter's account is gone");
    let sign_in = app.other_browser().sign_in("sam@example.com", OTHER_PASSWORD).await;
    assert_eq!(sign_in.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_verification_link_cannot_set_a_password() {
    let (app, smtp) = world().await;
    app.signed_up(OWNER).await;
    let token = smtp.wait_for_link(OWNER, "verify-email", 1).await;
    let body = json!({"token": token, "new_password": OTHER_PASSWORD, "new_password_confirmation": OTHER_PASSWORD});
    let response = app.other_browser().post("/api/v1/password", body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.other_browser().sign_in(OWNER, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_link_can_be_sent_again_a_few_times_an_hour() {
    let (app, smtp) = world().await;
    app.signed_up(OWNER).await;
    for n in 2..=6 {
        assert_eq!(app.post("/api/v1/me/email-verification", json!({})).await.status(), StatusCode::NO_CONTENT);
        smtp.wait_for_link(OWNER, "verify-email", n).await;
    }
    let response = app.post("/api/v1/me/email-verification", json!({})).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    // Only the newest link works.
    let first = smtp.wait_for_link(OWNER, "verify-email", 1).await;
    let response = app.post("/api/v1/email-verification", json!({"token": first})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let newest = smtp.wait_for_link(OWNER, "verify-email", 6).await;
    assert_eq!(app.post("/api/v1/email-verification", json!({"token": newest})).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_sign_up_over_an_address_in_use_cannot_get_a_link_for_it() {
    let (app, smtp) = world().await;
    app.signed_up_verified(OWNER, &smtp).await;
    let attacker = app.other_browser();
    attacker.signed_up(OWNER).await;
    smtp.wait_for_matching(OWNER, "Someone tried to create", 1).await;
    let response = attacker.post("/api/v1/me/email-verification", json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "answered as for anyone");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.matching(OWNER, "verify-email?token").len(), 1, "no link for the attacker reached the owner");
}

#[tokio::test]
async fn users_of_a_database_from_before_verification_count_as_verified() {
    let (app, _smtp) = world().await;
    app.signed_up(OWNER).await;
    // The database as it was before the migration: no column, and the migration not recorded.
    let folder = "2026-12-02-000001_email_verification";
    let down = match crate::helpers::using_postgres() {
        true => include_str!("../../../migrations/postgres/2026-12-02-000001_email_verification/down.sql"),
        false => include_str!("../../../migrations/sqlite/2026-12-02-000001_email_verification/down.sql"),
    };
    diesel::sql_query(down).execute(&mut app.db()).unwrap();
    // Nor the later migration that made the column a boolean: a database from before never ran it.
    for folder in [folder, "2026-12-05-000001_email_verified_boolean"] {
        let version = folder.split('_').next().unwrap().replace('-', "");
        diesel::sql_query(format!("DELETE FROM __diesel_schema_migrations WHERE version = '{version}'"))
            .execute(&mut app.db())
            .unwrap();
    }

    // An upgraded server starts on it and runs the migration.
    let upgraded = crate::helpers::spawn_instance_of(&app, |_| {}).await;
    let response = upgraded.sign_in(OWNER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(me(&upgraded).await["email_verified"], true);
}

#[tokio::test]
async fn a_squatter_whose_account_has_other_users_loses_the_address_and_their_sessions_but_not_the_account() {
    let (app, smtp) = world().await;
    app.signed_up(OWNER).await;
    let squatter = app.other_browser();
    squatter.signed_up("sam@example.com").await;
    let colleague = json!({"first_name": "Kim", "last_name": "Lee", "email": "kim@example.com"});
    assert_eq!(squatter.post("/api/v1/users", colleague).await.status(), StatusCode::CREATED);
    let squatter_account = me(&squatter).await["account"]["id"].as_str().unwrap().to_string();

    let body = json!({"first_name": "Sam", "last_name": "Smith", "email": "sam@example.com"});
    assert_eq!(app.post("/api/v1/users", body).await.status(), StatusCode::CREATED);
    smtp.wait_for_link("sam@example.com", "set-password", 1).await;
    assert_eq!(squatter.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the squatter's sessions ended");

    use keydesk::db::schema::users;
    let left: Vec<(String, String)> = users::table
        .filter(users::account_id.eq(&squatter_account))
        .select((users::email, users::email_normalized))
        .order(users::email)
        .load(&mut app.db())
        .unwrap();
    assert_eq!(left.len(), 2, "the account and its other user stay: {left:?}");
    assert_eq!(left[1].0, "sam@example.com");
    assert_ne!(left[1].1, "sam@example.com", "but no longer at the address");
}

#[tokio::test]
async fn a_sign_up_cannot_mail_the_address_owner_a_link_to_another_site() {
    let (app, smtp) = world().await;
    // Mallory signs up with Ann's address, naming her own site as the host: if the link pointed
    // there, Ann's click would hand Mallory the token that verifies the address for her.
    let body = json!({"account_name": "Squat", "name": "Mallory", "email": OWNER, "password": OTHER_PASSWORD});
    let response = crate::helpers::new_client()
        .post(app.url("/api/v1/accounts"))
        .header("Host", "mallory.example")
        .header("X-Forwarded-Host", "mallory.example")
        .header("Forwarded", "host=mallory.example;proto=https")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let mail = smtp.wait_for_matching(OWNER, "verify-email?token", 1).await.data;
    assert!(!mail.contains("mallory.example"), "{mail}");
    assert!(mail.contains(&format!("{}/verify-email?token=", app.address)), "{mail}");
}
