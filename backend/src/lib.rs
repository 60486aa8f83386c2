//! Keydesk's server as a library: `main.rs` and the tests both start it
//! through [`startup::Application`].
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::todo, clippy::await_holding_lock)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod admin;
pub mod audit;
pub mod auth;
pub mod change_feed;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod email_verification;
pub mod error;
#[cfg(test)]
mod layers;
pub mod mail;
pub mod notices;
pub mod openapi;
pub mod outbound;
pub mod outbox;
pub mod purge;
pub mod rate_limit;
pub mod recent;
pub mod request;
pub mod routes;
pub mod security_headers;
pub mod slow_clients;
pub mod sms;
pub mod startup;
pub mod state;
pub mod stripe;
pub mod telemetry;
pub mod token_expiry;
pub mod user_agents;
pub mod write_batches;
