//! `/set-password?token=...`: choosing a password from an invitation or reset email.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::components::password_rules::PasswordRules;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::v1::SetPasswordRequest;

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let new = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let done = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SetPasswordRequest {
            token: token.clone().into(),
            new_password: new.get().into(),
            new_password_confirmation: confirmation.get().into(),
        };
        spawn_local(async move {
            match api::set_password(request).await {
                Ok(()) => done.set(true),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let go_sign_in = move |_| navigate("/sign-in", Default::default());

    view! {
        <section class="card narrow" aria-labelledby="set-password-title">
            <h1 id="set-password-title">"Choose your password"</h1>
            <Show when=move || !done.get() fallback=move || view! {
                <p role="status">"Your password is set. Sign in with your email and the new password."</p>
                <button class="button primary" on:click=go_sign_in.clone()>"Go to sign in"</button>
            }>
                <form on:submit=submit.clone() novalidate>
                    <Field id="new-password" label="New password" kind="password" autocomplete="new-password" value=new error=field_error("new_password")/>
                    <PasswordRules password=new/>
                    <Field id="new-password-confirmation" label="Confirm new password" kind="password" autocomplete="new-password"
                        value=confirmation error=field_error("new_password_confirmation")/>
                    <p class="form-error" role="alert">{move || failure.get().and_then(|f| f.field("token"))}</p>
                    <button type="submit" class="button primary">"Set password"</button>
                </form>
            </Show>
        </section>
    }
}
