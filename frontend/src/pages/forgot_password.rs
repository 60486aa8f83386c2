//! `/forgot-password`: asks for a reset link. The answer is the same whether or not an account
//! uses the address, so the page says what happens if one does.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::submit::Submit;
use leptos::prelude::*;
use shared::v1::PasswordResetRequest;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let sent_to = RwSignal::new(None::<String>);
    let ask = Submit::new(move |answer: Result<(), ApiFailure>| match answer {
        Ok(()) => sent_to.set(Some(email.get_untracked())),
        Err(f) => failure.set(Some(f)),
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        ask.send(api::request_password_reset(PasswordResetRequest { email: email.get() }));
    };
    let email_error = Signal::derive(move || failure.get().and_then(|f| f.field("email")));
    let general_error = move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message());

    view! {
        <section class="card narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"Reset your password"</h1>
            <Show when=move || sent_to.with(Option::is_none) fallback=move || view! {
                <p role="status">
                    {move || format!(
                        "If an account uses {}, we have sent it a link to choose a new password. The link works once, for 1 hour.",
                        sent_to.get().unwrap_or_default()
                    )}
                </p>
                <p class="aside"><a href="/sign-in">"Back to sign in"</a></p>
            }>
                <form on:submit=submit novalidate>
                    <p>"Enter your account's email address and we will send you a link to choose a new password."</p>
                    <Field id="email" label="Email" value=email error=email_error kind="email" autocomplete="username" required=true/>
                    <p class="form-error" role="alert">{general_error}</p>
                    <button type="submit" class="button primary wide" disabled=move || ask.pending()>"Send reset link"</button>
                </form>
                <p class="aside"><a href="/sign-in">"Back to sign in"</a></p>
            </Show>
        </section>
    }
}
