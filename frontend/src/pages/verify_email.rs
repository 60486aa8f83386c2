//! `/verify-email?token=...`: confirming the address from the link a sign-up was emailed.
//! The token is sent only when the person presses the button, so a mail scanner that opens
//! links does not use it up.

use crate::api::{self, ApiFailure};
use crate::state::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let session = Session::get();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let failure = RwSignal::new(None::<ApiFailure>);
    let done = RwSignal::new(false);
    let confirm = move |_| {
        let token = token.clone();
        spawn_local(async move {
            match api::verify_email(token).await {
                Ok(()) => {
                    done.set(true);
                    // The banner goes once the dashboard knows.
                    session.load();
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };

    view! {
        <section class="card narrow" aria-labelledby="verify-email-title">
            <h1 id="verify-email-title">"Confirm your email address"</h1>
            <Show when=move || !done.get() fallback=move || view! {
                <p role="status">"Your email address is confirmed."</p>
                <a class="button primary" href="/account">"Go to your account"</a>
            }>
                <p>"Confirm that this address is yours."</p>
                <p class="form-error" role="alert">
                    {move || failure.get().map(|f| f.field("token").unwrap_or_else(|| f.message()))}
                </p>
                <button type="button" class="button primary" on:click=confirm.clone()>"Confirm my address"</button>
            </Show>
        </section>
    }
}
