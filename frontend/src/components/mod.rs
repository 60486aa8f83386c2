//! Reusable pieces of the dashboard.

pub mod api_credentials;
pub mod developer_key;
pub mod dialog;
pub mod field;
pub mod header;
pub mod notice;
pub mod password_rules;
pub mod reset_password;
pub mod tabs;
pub mod user_information;
