//! `/account`: My Account, Account tab.

use crate::components::account_shell::AccountShell;
use crate::components::api_credentials::ApiCredentials;
use crate::components::devices::Devices;
use crate::components::reset_password::ResetPassword;
use crate::components::security::Security;
use crate::components::user_information::UserInformation;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <AccountShell>
            <UserInformation/>
            <Security/>
            <Devices/>
            <ResetPassword/>
            <ApiCredentials/>
        </AccountShell>
    }
}
