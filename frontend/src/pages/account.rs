//! `/account`: My Account, Account tab.

use crate::components::api_credentials::ApiCredentials;
use crate::components::devices::Devices;
use crate::components::reset_password::ResetPassword;
use crate::components::security::Security;
use crate::components::tabs::TabBar;
use crate::components::user_information::UserInformation;
use crate::state::Session;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = Session::get();
    view! {
        <Show when=move || session.is_signed_in() fallback=|| view! { <Redirect path="/sign-in"/> }>
            <h1>"My Account"</h1>
            <TabBar/>
            <div class="tab-panel">
                <UserInformation/>
                <Security/>
                <Devices/>
                <ResetPassword/>
                <ApiCredentials/>
            </div>
        </Show>
    }
}
