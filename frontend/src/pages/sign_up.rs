//! `/sign-up`: a new account and its first admin.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::components::password_rules::PasswordRules;
use crate::state::{CommonList, Notices, Session};
use crate::submit::Submit;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use shared::v1::{SignInResponse, SignUpRequest};
use shared::validate::{check_new_password, parse_email};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let notices = Notices::get();
    let session = Session::get();
    let common = CommonList::get();
    let account_name = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let navigate = use_navigate();

    let sign_up = Submit::new(move |answer: Result<SignInResponse, ApiFailure>| match answer {
        Ok(response) => {
            if let Some(me) = response.user {
                session.user.set(Some(me));
                notices
                    .show("Welcome to Keydesk. Your account is ready; we emailed you a link to confirm your address.");
                navigate("/account", Default::default());
            }
        }
        Err(e) => failure.set(Some(e)),
    });
    // Enter on an unfinished form says what is missing, field by field, instead of doing nothing.
    let missing = move || {
        let mut problems = Vec::new();
        if account_name.with(|n| n.trim().is_empty()) {
            problems.push(("account_name", "Enter your company's or account's name".to_string()));
        }
        if name.with(|n| n.trim().is_empty()) {
            problems.push(("name", "Enter your name".to_string()));
        }
        if let Err(problem) = parse_email(&email.get_untracked()) {
            problems.push(("email", problem));
        }
        for problem in check_new_password(&password.get_untracked(), None, &email.get_untracked(), &common.current()) {
            problems.push(("password", problem.message()));
        }
        ApiFailure::for_fields(problems)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(missing());
        if failure.with_untracked(Option::is_some) {
            return;
        }
        sign_up.send(api::sign_up(SignUpRequest {
            account_name: account_name.get(),
            name: name.get(),
            email: email.get(),
            password: password.get().into(),
        }));
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let password_error = Signal::derive(move || {
        let p = password.get();
        let extra: Vec<String> = check_new_password(&p, None, &email.get(), &common.current())
            .into_iter()
            .filter(|p| !matches!(p, shared::validate::PasswordProblem::Rule(_)))
            .map(|p| p.message())
            .collect();
        (!extra.is_empty()).then(|| extra.join(". ")).or_else(|| failure.get().and_then(|f| f.field("password")))
    });

    view! {
        <Show when=move || !session.is_signed_in() fallback=|| view! { <Redirect path="/account"/> }>
            <section class="card narrow" aria-labelledby="sign-up-title">
                <h1 id="sign-up-title">"Create your account"</h1>
                <form on:submit=on_submit novalidate>
                    <Field id="account-name" label="Company or account name" value=account_name error=field_error("account_name") autocomplete="organization" required=true/>
                    <Field id="name" label="Your name" value=name error=field_error("name") autocomplete="name" required=true/>
                    <Field id="email" label="Email" value=email error=field_error("email") kind="email" autocomplete="email" required=true/>
                    <Field id="password" label="Password" value=password error=password_error kind="password" autocomplete="new-password" required=true/>
                    <PasswordRules password=password email=email/>
                    <p class="form-error" role="alert">
                        {move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}
                    </p>
                    <button type="submit" class="button primary wide" disabled=move || sign_up.pending()>
                        {move || if sign_up.pending() { "Creating…" } else { "Create account" }}
                    </button>
                </form>
                <p class="aside">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
            </section>
        </Show>
    }
}
