//! Reset Password: a new password under the policy, typed twice.

use crate::api::{self, ApiFailure};
use crate::components::field::{Field, UsernameHint};
use crate::components::password_rules::PasswordRules;
use crate::state::{CommonList, Notices, Session};
use crate::submit::Submit;
use leptos::prelude::*;
use shared::v1::ChangePasswordRequest;
use shared::validate::check_new_password;

#[component]
pub fn ResetPassword() -> impl IntoView {
    let notices = Notices::get();
    let session = Session::get();
    let common = CommonList::get();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let end_others = RwSignal::new(true);
    let failure = RwSignal::new(None::<ApiFailure>);

    let change = Submit::new(move |answer: Result<(), ApiFailure>| match answer {
        Ok(()) => {
            current.set(String::new());
            new.set(String::new());
            confirmation.set(String::new());
            failure.set(None);
            notices.show(match end_others.get_untracked() {
                true => "Your password is changed. Your other sessions were signed out.",
                false => "Your password is changed.",
            });
        }
        Err(e) => failure.set(Some(e)),
    });

    let email = move || session.user.with(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    let problems = move || {
        check_new_password(
            &new.get(),
            Some(&current.get()).filter(|c| !c.is_empty()).map(|c| c.as_str()),
            &email(),
            &common.current(),
        )
    };
    let mismatch = move || !confirmation.get().is_empty() && confirmation.get() != new.get();
    let ready = move || {
        !current.get().is_empty() && problems().is_empty() && !new.get().is_empty() && confirmation.get() == new.get()
    };

    let server_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let new_error = Signal::derive(move || {
        let extra: Vec<String> = problems()
            .into_iter()
            .filter(|p| !matches!(p, shared::validate::PasswordProblem::Rule(_)))
            .map(|p| p.message())
            .collect();
        (!extra.is_empty()).then(|| extra.join(". ")).or_else(|| failure.get().and_then(|f| f.field("new_password")))
    });
    let confirmation_error = Signal::derive(move || {
        mismatch()
            .then(|| "The two new passwords do not match".to_string())
            .or_else(|| failure.get().and_then(|f| f.field("new_password_confirmation")))
    });

    // Enter on an unfinished form says what is missing instead of doing nothing.
    let missing = move || {
        let mut found = Vec::new();
        if current.with(String::is_empty) {
            found.push(("current_password", "Enter your current password".to_string()));
        }
        for problem in problems() {
            found.push(("new_password", problem.message()));
        }
        if confirmation.with(String::is_empty) || mismatch() {
            found.push(("new_password_confirmation", "Type the new password again".to_string()));
        }
        ApiFailure::for_fields(found)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(missing());
        if !ready() {
            return;
        }
        change.send(api::change_password(ChangePasswordRequest {
            current_password: current.get().into(),
            new_password: new.get().into(),
            new_password_confirmation: confirmation.get().into(),
            end_other_sessions: end_others.get(),
        }));
    };

    view! {
        <section class="card" aria-labelledby="reset-password-title">
            <h2 id="reset-password-title">"Reset password"</h2>
            <form on:submit=on_submit novalidate>
                <UsernameHint/>
                <Field id="current-password" label="Current password" value=current error=server_error("current_password")
                    kind="password" autocomplete="current-password" required=true/>
                <Field id="new-password" label="New password" value=new error=new_error
                    kind="password" autocomplete="new-password" required=true/>
                <PasswordRules password=new email=Signal::derive(email)/>
                <Field id="new-password-confirmation" label="Confirm new password" value=confirmation
                    error=confirmation_error kind="password" autocomplete="new-password" required=true/>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || end_others.get()
                        on:change=move |ev| end_others.set(event_target_checked(&ev))/>
                    " Sign out my other sessions and revoke my API credentials"
                </label>
                <p class="form-error" role="alert">
                    {move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}
                </p>
                <button type="submit" class="button primary" disabled=move || change.pending()>
                    {move || if change.pending() { "Saving…" } else { "Save" }}
                </button>
            </form>
        </section>
    }
}
