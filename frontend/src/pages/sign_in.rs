//! `/sign-in`

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::state::Session;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use shared::v1::SignInRequest;

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = Session::get();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let navigate = use_navigate();

    let sign_in = Action::new_local(move |request: &SignInRequest| api::sign_in(request.clone()));
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(response)) => {
            if let Some(me) = response.user {
                session.user.set(Some(me));
                navigate("/account", Default::default());
            }
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        sign_in.dispatch(SignInRequest { email: email.get(), password: password.get() });
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));

    view! {
        <Show when=move || !session.is_signed_in() fallback=|| view! { <Redirect path="/account"/> }>
            <section class="card narrow" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Sign in"</h1>
                <form on:submit=on_submit novalidate>
                    <Field id="email" label="Email" value=email error=field_error("email") kind="email" autocomplete="username" required=true/>
                    <Field id="password" label="Password" value=password error=field_error("password") kind="password" autocomplete="current-password" required=true/>
                    <p class="form-error" role="alert">
                        {move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}
                    </p>
                    <button type="submit" class="button primary wide" disabled=move || sign_in.pending().get()>
                        {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
                <p class="aside">"New to Keydesk? " <a href="/sign-up">"Create an account"</a></p>
            </section>
        </Show>
    }
}
