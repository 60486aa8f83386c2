//! The frame of every My Account page: signed-in check, title, the settings sidebar beside the section.

use crate::components::settings_nav::SettingsNav;
use crate::components::verify_email_banner::VerifyEmailBanner;
use crate::state::Session;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn AccountShell(children: ChildrenFn) -> impl IntoView {
    let session = Session::get();
    view! {
        <Show when=move || session.is_signed_in() fallback=|| view! { <Redirect path="/sign-in"/> }>
            <VerifyEmailBanner/>
            <h1>"My Account"</h1>
            <div class="settings">
                <SettingsNav/>
                <div class="settings-panel">{children()}</div>
            </div>
        </Show>
    }
}

/// An Organization section for a standard user who followed a link: the server refuses its data anyway.
#[component]
pub fn AdminsOnly(children: ChildrenFn) -> impl IntoView {
    let admin = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == shared::v1::Role::Admin));
    view! {
        <Show when=move || admin fallback=|| view! {
            <section class="card"><p class="empty">"This section is for the account's admins."</p></section>
        }>
            {children()}
        </Show>
    }
}
