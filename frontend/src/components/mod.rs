//! Reusable pieces of the dashboard.

pub mod account_shell;
pub mod browser_cell;
pub mod code_editor;
pub mod copy_button;
pub mod data_table;
pub mod dialog;
pub mod field;
pub mod header;
pub mod modal_form;
pub mod notice;
pub mod password_rules;
pub mod second_factor_field;
pub mod settings_nav;
pub mod time;
pub mod verify_email_banner;
