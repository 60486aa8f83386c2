//! User Information: the user's name and email.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::components::second_factor_field::{self, SecondFactorField};
use crate::state::{Notices, Session};
use crate::submit::Submit;
use leptos::prelude::*;
use shared::v1::{MeResponse, UpdateMeRequest};
use shared::validate::{parse_email, parse_name, NAME_MAX_CHARS};

#[component]
pub fn UserInformation() -> impl IntoView {
    let notices = Notices::get();
    let session = Session::get();
    let current = move || session.user.get();
    let name = RwSignal::new(current().map(|u| u.name).unwrap_or_default());
    let email = RwSignal::new(current().map(|u| u.email).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let two_factor_code = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    // A changed address (not just its letter case) needs the current password.
    let email_changes = move || current().is_some_and(|u| u.email.to_lowercase() != email.get().trim().to_lowercase());

    let save = Submit::new(move |answer: Result<MeResponse, ApiFailure>| match answer {
        Ok(me) => {
            name.set(me.name.clone());
            email.set(me.email.clone());
            password.set(String::new());
            two_factor_code.set(String::new());
            failure.set(None);
            session.user.set(Some(me));
            notices.show("Your details are saved.");
        }
        Err(e) => failure.set(Some(e)),
    });

    let local_error = RwSignal::new(None::<(&'static str, String)>);
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            local_error
                .get()
                .filter(|(f, _)| *f == field)
                .map(|(_, e)| e)
                .or_else(|| failure.get().and_then(|f| f.field(field)))
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        local_error.set(None);
        if let Err(e) = parse_name(&name.get(), NAME_MAX_CHARS) {
            return local_error.set(Some(("name", e)));
        }
        if let Err(e) = parse_email(&email.get()) {
            return local_error.set(Some(("email", e)));
        }
        let changes_email = email_changes();
        if changes_email && password.get().is_empty() {
            return local_error
                .set(Some(("current_password", "Enter your current password to change your email".into())));
        }
        save.send(api::update_me(UpdateMeRequest {
            name: Some(name.get()),
            email: Some(email.get()),
            current_password: changes_email.then(|| password.get().into()),
            two_factor_code: changes_email
                .then(|| second_factor_field::entered(two_factor_code))
                .flatten()
                .map(Into::into),
        }));
    };

    view! {
        <section class="card" aria-labelledby="user-information-title">
            <h2 id="user-information-title">"User information"</h2>
            <form on:submit=on_submit novalidate>
                <Field id="name" label="Name" value=name error=field_error("name") autocomplete="name" required=true/>
                <Field id="email" label="Email" value=email error=field_error("email") kind="email" autocomplete="email" required=true/>
                <Show when=email_changes>
                    <Field
                        id="email-current-password"
                        label="Current password (needed to change your email)"
                        value=password
                        error=field_error("current_password")
                        kind="password"
                        autocomplete="current-password"
                        required=true
                    />
                    <SecondFactorField id="email-two-factor-code" value=two_factor_code error=field_error("two_factor_code")/>
                </Show>
                <p class="form-error" role="alert">
                    {move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}
                </p>
                <button type="submit" class="button primary" disabled=move || save.pending()>
                    {move || if save.pending() { "Saving…" } else { "Save" }}
                </button>
            </form>
        </section>
    }
}
