//! Modal dialogs: a yes/no confirmation, and a password prompt for sensitive steps.

use crate::components::field::Field;
use crate::components::second_factor_field::SecondFactorField;
use leptos::prelude::*;

/// A row's destructive button: it picks the row as `target` and opens the confirmation.
#[component]
pub fn AskButton<T: Clone + Send + Sync + 'static>(
    label: &'static str,
    item: T,
    target: RwSignal<Option<T>>,
    confirm: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <button class="button danger-outline small" on:click=move |_| {
            target.set(Some(item.clone()));
            confirm.set(true);
        }>{label}</button>
    }
}

/// A modal asking to confirm an action. `open` shows it; Yes calls `on_yes` and closes it.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    title: &'static str,
    #[prop(into)] message: Signal<String>,
    #[prop(default = "Yes")] yes_label: &'static str,
    #[prop(optional)] danger: bool,
    on_yes: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
                <div class="modal" role="dialog" aria-modal="true" aria-labelledby="dialog-title">
                    <h2 id="dialog-title">{title}</h2>
                    <p>{move || message.get()}</p>
                    <div class="modal-actions">
                        <button class="button secondary" on:click=move |_| open.set(false)>"No"</button>
                        <button
                            class="button"
                            class:primary=!danger
                            class:danger=danger
                            autofocus=true
                            on:click=move |_| {
                                open.set(false);
                                on_yes.run(());
                            }
                        >
                            {yes_label}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// A modal asking for the password; `on_submit` receives it. With `second_factor`, it also asks
/// for a current two-factor code while two-factor authentication is on (read that signal on submit).
#[component]
pub fn PasswordDialog(
    open: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_submit: Callback<String>,
    #[prop(optional)] second_factor: Option<(RwSignal<String>, Signal<Option<String>>)>,
    #[prop(default = "Confirm your password")] title: &'static str,
    #[prop(default = "Your last sign-in was more than 15 minutes ago. Enter your password to continue.")]
    message: &'static str,
    #[prop(default = "Continue")] submit_label: &'static str,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(password.get());
        password.set(String::new());
    };
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
                <form class="modal" role="dialog" aria-modal="true" aria-labelledby="reauth-title" on:submit=submit>
                    <h2 id="reauth-title">{title}</h2>
                    <p>{message}</p>
                    <Field id="reauth-password" label="Password" value=password error=error kind="password"
                        autocomplete="current-password" required=true/>
                    {second_factor.map(|(code, code_error)| view! {
                        <SecondFactorField id="reauth-two-factor-code" value=code error=code_error/>
                    })}
                    <div class="modal-actions">
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                        <button type="submit" class="button" class:primary=!danger class:danger=danger>{submit_label}</button>
                    </div>
                </form>
            </div>
        </Show>
    }
}
