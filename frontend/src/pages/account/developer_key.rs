//! Developer key (User Information): generate, show/hide, regenerate.
//! The key is hidden by default; showing or regenerating it may ask for the password again.

use crate::api::{self, ApiFailure};
use crate::components::copy_button::CopyButton;
use crate::components::dialog::{ConfirmDialog, PasswordDialog};
use crate::state::{format_time, Notices, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::DeveloperKeyState;

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Generate,
    Reveal,
}

#[component]
pub fn DeveloperKey() -> impl IntoView {
    let notices = Notices::get();
    let session = Session::get();
    let state = RwSignal::new(session.user.with_untracked(|u| u.as_ref().map(|u| u.developer_key.clone())));
    let shown = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirm_generate = RwSignal::new(false);
    let confirm_regenerate = RwSignal::new(false);
    let reauth_open = RwSignal::new(false);
    let reauth_error = RwSignal::new(None::<String>);
    let waiting_step = StoredValue::new(Step::Reveal);

    let run = move |step: Step, password: Option<String>| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result: Result<api::DeveloperKey, ApiFailure> = match step {
                Step::Generate => api::generate_developer_key(password).await,
                Step::Reveal => api::reveal_developer_key(password).await,
            };
            busy.set(false);
            match result {
                Ok(response) => {
                    reauth_open.set(false);
                    reauth_error.set(None);
                    state.set(Some(response.state));
                    // A new key is shown once, at once, to be copied; after that it is hidden by default.
                    shown.set(Some(response.key.into_inner()));
                    if step == Step::Generate {
                        notices.show("Your new developer key is ready. Copy it now; it is hidden when you leave.");
                    }
                }
                Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
                    waiting_step.set_value(step);
                    reauth_open.set(true);
                }
                Err(f) if f.field("password").is_some() => reauth_error.set(f.field("password")),
                Err(f) => error.set(Some(f.message())),
            }
        });
    };
    let exists = move || state.with(|s| s.as_ref().is_some_and(|s| s.exists));

    view! {
        <section class="card developer-key" aria-labelledby="developer-key-title">
            <h2 id="developer-key-title">"Developer key"</h2>
            <p class="help">"Scripts use this key to call the API: " <code>"Authorization: Bearer <key>"</code> "."</p>
            <Show
                when=exists
                fallback=move || view! {
                    <button class="button primary" disabled=move || busy.get() on:click=move |_| confirm_generate.set(true)>
                        "Generate key"
                    </button>
                }
            >
                <div class="key-row">
                    <code class="key-value" data-testid="developer-key" data-shown=move || shown.with(Option::is_some).to_string()>
                        {move || shown.get().unwrap_or_else(|| masked(state.get()))}
                    </code>
                    <Show
                        when=move || shown.with(Option::is_some)
                        fallback=move || view! {
                            <button class="button secondary" disabled=move || busy.get() on:click=move |_| run(Step::Reveal, None)>
                                "Show key"
                            </button>
                        }
                    >
                        <button class="button secondary" on:click=move |_| shown.set(None)>"Hide key"</button>
                    </Show>
                    {move || shown.get().map(|key| view! { <CopyButton text=key/> })}
                    <button class="button danger-outline" disabled=move || busy.get() on:click=move |_| confirm_regenerate.set(true)>
                        "Regenerate key"
                    </button>
                </div>
                <p class="meta">{move || usage(state.get())}</p>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <ConfirmDialog
                open=confirm_generate
                title="Generate a developer key?"
                yes_label="Generate key"
                message="A key lets scripts act as you through the API. Keep it secret."
                on_yes=Callback::new(move |()| run(Step::Generate, None))
            />
            <ConfirmDialog
                open=confirm_regenerate
                title="Regenerate your developer key?"
                message="Applications that use your current key will stop working until you update them with the new key. The current key stops working at once."
                yes_label="Regenerate key"
                danger=true
                on_yes=Callback::new(move |()| run(Step::Generate, None))
            />
            <PasswordDialog
                open=reauth_open
                error=reauth_error
                on_submit=Callback::new(move |password: String| run(waiting_step.get_value(), Some(password)))
            />
        </section>
    }
}

fn masked(state: Option<DeveloperKeyState>) -> String {
    let hint = state.and_then(|s| s.hint).unwrap_or_default();
    format!("•••••••••••••••• {hint}")
}

fn usage(state: Option<DeveloperKeyState>) -> String {
    let Some(state) = state else { return String::new() };
    let created = state.created_at.map(format_time).unwrap_or_default();
    match (state.last_used_at, state.last_used_ip) {
        (Some(at), Some(ip)) => format!("Created {created}. Last used {} from {ip}.", format_time(at)),
        (Some(at), None) => format!("Created {created}. Last used {}.", format_time(at)),
        _ => format!("Created {created}. Not used yet."),
    }
}
