//! My Account's own sections, one URL each (the sidebar in `settings_nav` links them). The cards are
//! panels in this folder; a page only chooses which stand together.

pub mod access_tokens;
pub mod account_access_tokens;
pub mod account_info;
pub mod account_users;
pub mod api_credentials;
pub mod developer_key;
pub mod devices;
pub mod passkeys;
pub mod recovery_codes;
pub mod reset_password;
pub mod security;
pub mod security_log;
pub mod sessions;
pub mod two_factor_wizard;
pub mod user_information;

use crate::components::account_shell::{AccountShell, AdminsOnly};
use crate::state::Session;
use access_tokens::AccessTokens;
use account_access_tokens::AccountAccessTokens;
use account_info::AccountInformation;
use account_users::AccountUsers;
use api_credentials::ApiCredentials;
use developer_key::DeveloperKey;
use devices::Devices;
use leptos::prelude::*;
use reset_password::ResetPassword;
use security::Security;
use security_log::SecurityLog;
use sessions::Sessions;
use shared::v1::Role;
use user_information::UserInformation;

/// `/account`: name and email; a standard user also reads the account's details here (admins edit
/// them under Organization).
#[component]
pub fn ProfilePage() -> impl IntoView {
    let is_admin = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin));
    view! {
        <AccountShell>
            <UserInformation/>
            {(!is_admin).then(|| view! { <AccountInformation is_admin=false/> })}
        </AccountShell>
    }
}

/// `/account/authentication`: the password, two-factor authentication and passkeys, sessions, devices.
#[component]
pub fn AuthenticationPage() -> impl IntoView {
    view! {
        <AccountShell>
            <ResetPassword/>
            <Security/>
            <Sessions/>
            <Devices/>
        </AccountShell>
    }
}

/// `/account/keys`: what scripts sign in with.
#[component]
pub fn KeysPage() -> impl IntoView {
    view! {
        <AccountShell>
            <DeveloperKey/>
            <AccessTokens/>
            <ApiCredentials/>
        </AccountShell>
    }
}

/// `/account/security-log`: the user's own events.
#[component]
pub fn SecurityLogPage() -> impl IntoView {
    view! { <AccountShell><SecurityLog account_wide=false/></AccountShell> }
}

/// `/account/users` (admins): the account's users and every access token in it.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <AccountShell><AdminsOnly><AccountUsers/> <AccountAccessTokens/></AdminsOnly></AccountShell> }
}

/// `/account/organization` (admins): the account's details.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    view! { <AccountShell><AdminsOnly><AccountInformation is_admin=true/></AdminsOnly></AccountShell> }
}

/// `/account/account-log` (admins): every user's events.
#[component]
pub fn AccountLogPage() -> impl IntoView {
    view! { <AccountShell><AdminsOnly><SecurityLog account_wide=true/></AdminsOnly></AccountShell> }
}
