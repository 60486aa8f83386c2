//! The top bar: product name, and the signed-in user with Sign out.

use crate::api;
use crate::state::{Notices, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let notices = Notices::get();
    let session = Session::get();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        let navigate = navigate.clone();
        signing_out.set(true);
        spawn_local(async move {
            // Whatever the server says, this browser is signed out afterwards.
            let _ = api::sign_out().await;
            session.user.set(None);
            signing_out.set(false);
            notices.show("You are signed out.");
            navigate("/sign-in", Default::default());
        });
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Keydesk"</a>
            {move || {
                session.user.get().map(|me| {
                    view! {
                        <div class="whoami">
                            <span class="whoami-name">{me.name.clone()}</span>
                            <span class="whoami-account">{me.account.name.clone()}</span>
                            <button class="button secondary" on:click=sign_out.clone() disabled=move || signing_out.get()>
                                "Sign out"
                            </button>
                        </div>
                    }
                })
            }}
        </header>
    }
}
