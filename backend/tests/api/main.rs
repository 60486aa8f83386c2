//! API tests: each runs the real server on a free port against a fresh
//! database (SQLite by default; PostgreSQL with KEYDESK_TEST_DATABASE=postgres).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod mtls;
mod peers;
mod stripe_peer;

mod access_tokens;
mod account_takeover;
mod accounts;
mod admin_cli;
mod api_auth;
mod authorization;
mod certificates;
mod crash;
mod deep_nesting;
mod developer_keys;
mod email_squatting;
mod errors;
mod floods;
mod fuzz;
mod health;
mod hostile;
mod instances;
mod integrations;
mod js_libraries;
mod me;
mod migrations;
mod oauth_tokens;
mod outbound_addresses;
mod passkeys;
mod password;
mod password_reset;
mod rest_requests;
mod secrets_at_rest;
mod security_headers;
mod security_log;
mod security_notices;
mod session;
mod sessions;
mod two_factor;
mod users;
