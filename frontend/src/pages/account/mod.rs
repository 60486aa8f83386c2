//! My Account's own sections, one URL each (the sidebar in `settings_nav` links them). The cards are
//! components; a page only chooses which stand together.

use crate::components::access_tokens::AccessTokens;
use crate::components::account_access_tokens::AccountAccessTokens;
use crate::components::account_info::AccountInformation;
use crate::components::account_shell::{AccountShell, AdminsOnly};
use crate::components::account_users::AccountUsers;
use crate::components::api_credentials::ApiCredentials;
use crate::components::developer_key::DeveloperKey;
use crate::components::devices::Devices;
use crate::components::reset_password::ResetPassword;
use crate::components::security::Security;
use crate::components::security_log::SecurityLog;
use crate::components::sessions::Sessions;
use crate::components::user_information::UserInformation;
use crate::state::Session;
use leptos::prelude::*;
use shared::v1::Role;

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
