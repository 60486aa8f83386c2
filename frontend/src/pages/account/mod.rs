//! `/account`: My Account, Account tab.

use crate::components::access_tokens::AccessTokens;
use crate::components::account_access_tokens::AccountAccessTokens;
use crate::components::account_info::AccountInformation;
use crate::components::account_shell::AccountShell;
use crate::components::account_users::AccountUsers;
use crate::components::api_credentials::ApiCredentials;
use crate::components::devices::Devices;
use crate::components::reset_password::ResetPassword;
use crate::components::security::Security;
use crate::components::security_log::SecurityLog;
use crate::components::sessions::Sessions;
use crate::components::user_information::UserInformation;
use crate::state::Session;
use leptos::prelude::*;
use shared::v1::Role;

#[component]
pub fn AccountPage() -> impl IntoView {
    let is_admin = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin));
    view! {
        <AccountShell>
            <UserInformation/>
            <Security/>
            <Sessions/>
            <Devices/>
            <ResetPassword/>
            <AccessTokens/>
            <ApiCredentials/>
            <AccountInformation is_admin/>
            <SecurityLog account_wide=false/>
            {is_admin.then(|| view! { <AccountUsers/> <AccountAccessTokens/> <SecurityLog account_wide=true/> })}
        </AccountShell>
    }
}
