//! The current second factor that a sensitive change needs while two-factor authentication is
//! on (turning it off, changing it, a new email): a code field, with Send code for email and SMS.

use crate::api;
use crate::components::field::Field;
use crate::state::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::TwoFactorMethod;

/// Whether the signed-in user has two-factor authentication on.
pub fn two_factor_on() -> Signal<bool> {
    let session = Session::get();
    Signal::derive(move || session.user.with(|u| u.as_ref().is_some_and(|u| u.two_factor.enabled)))
}

/// Shows nothing while two-factor authentication is off; `value` stays empty then.
#[component]
pub fn SecondFactorField(
    /// The input's id.
    id: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let session = Session::get();
    let method = move || session.user.with(|u| u.as_ref().and_then(|u| u.two_factor.method));
    let status = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let send = move |_| {
        sending.set(true);
        spawn_local(async move {
            let said = match api::send_confirmation_code().await {
                Ok(sent) => format!("We sent a code to {}.", sent.destination_hint),
                Err(f) => f.message(),
            };
            status.set(Some(said));
            sending.set(false);
        });
    };
    let on = two_factor_on();
    view! {
        <Show when=move || on.get()>
            <Field id=id label="Two-factor code (or a one-time access code)" value=value error=error
                autocomplete="one-time-code" required=true/>
            <Show when=move || method() != Some(TwoFactorMethod::Totp)>
                <div class="key-row">
                    <button type="button" class="button secondary small" disabled=move || sending.get() on:click=send>
                        "Send code"
                    </button>
                    <span class="meta" role="status">{move || status.get()}</span>
                </div>
            </Show>
        </Show>
    }
}

/// The entered code for a request: `None` while two-factor authentication is off.
pub fn entered(value: RwSignal<String>) -> Option<String> {
    two_factor_on().get_untracked().then(|| value.get_untracked())
}
