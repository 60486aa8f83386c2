//! Reusable pieces of the dashboard.

pub mod account_info;
pub mod account_shell;
pub mod account_users;
pub mod api_credentials;
pub mod code_editor;
pub mod data_table;
pub mod developer_key;
pub mod devices;
pub mod dialog;
pub mod field;
pub mod header;
pub mod notice;
pub mod passkeys;
pub mod password_rules;
pub mod recovery_codes;
pub mod reset_password;
pub mod second_factor_field;
pub mod security;
pub mod security_log;
pub mod sessions;
pub mod tabs;
pub mod two_factor_wizard;
pub mod user_information;
pub mod verify_email_banner;
