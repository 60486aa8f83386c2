//! A labelled text input with its error message, tied to a signal.

use crate::components::modal_form::FormErrors;
use leptos::prelude::*;

#[component]
pub fn Field(
    /// The input's id, also its name.
    #[prop(into)]
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    /// The problem to show under the field, if any.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// Instead of `error`: the field's name in the API, whose problems the enclosing form's
    /// [`FormErrors`] holds (a [`crate::components::modal_form::ModalForm`] provides them).
    #[prop(optional)]
    errors_for: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    /// Takes focus when it appears (the one field of a step, say).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let error = errors_for.and_then(|name| Some(FormErrors::find()?.field(name))).unwrap_or(error);
    let input = NodeRef::<leptos::html::Input>::new();
    if autofocus {
        input.on_load(|input| {
            let _ = input.focus();
        });
    }
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    let (label_for, name) = (id.clone(), id.clone());
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=label_for>{label}</label>
            <input
                node_ref=input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// The signed-in user's email as a hidden username beside a password field, so password managers
/// know whose password is asked for (and save a changed one under the right name).
#[component]
pub fn UsernameHint() -> impl IntoView {
    let session = crate::state::Session::get();
    let email = move || session.user.with(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    view! { <input type="email" name="username" autocomplete="username" hidden readonly prop:value=email/> }
}
