//! The frame of every My Account page: signed-in check, title, tab bar.

use crate::components::tabs::TabBar;
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
            <TabBar/>
            <div class="tab-panel">{children()}</div>
        </Show>
    }
}
