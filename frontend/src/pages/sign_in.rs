//! `/sign-in`: email and password, then the two-factor code when it is on.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::state::Session;
use crate::submit::Submit;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use shared::v1::{SignInRequest, SignInResponse, TwoFactorMethod, TwoFactorSignInRequest};

/// The second step's state: the challenge and where the code went.
#[derive(Clone)]
struct Challenge {
    token: String,
    method: Option<TwoFactorMethod>,
    hint: String,
    /// The user has a passkey, which may answer instead of the code.
    passkey: bool,
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = Session::get();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let use_access_code = RwSignal::new(false);
    let challenge = RwSignal::new(None::<Challenge>);
    let failure = RwSignal::new(None::<ApiFailure>);
    // What became of the last "Resend code".
    let resent = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    // The password, the second step's code and a passkey all answer the same way.
    let submit = Submit::new(move |answer: Result<SignInResponse, ApiFailure>| match answer {
        Ok(response) if response.two_factor_required => {
            failure.set(None);
            challenge.set(Some(Challenge {
                token: response.challenge.map(shared::Secret::into_inner).unwrap_or_default(),
                method: response.method,
                hint: response.destination_hint.unwrap_or_default(),
                passkey: response.passkey,
            }));
        }
        Ok(response) => {
            if let Some(me) = response.user {
                session.user.set(Some(me));
                navigate("/account", Default::default());
            }
        }
        Err(e) => {
            // An expired or used-up challenge sends the user back to the first step.
            if e.status == 401 && challenge.with_untracked(Option::is_some) {
                challenge.set(None);
                code.set(String::new());
            }
            failure.set(Some(e));
        }
    });
    let with_passkey = move |challenge: Option<String>| {
        submit.send(async move {
            match challenge {
                Some(challenge) => api::second_step_with_passkey(challenge).await,
                None => api::sign_in_with_passkey().await,
            }
        })
    };
    let passkeys_here = crate::webauthn::available();

    let submit_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        submit.send(api::sign_in(SignInRequest { email: email.get(), password: password.get().into() }));
    };
    let submit_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = challenge.get() else { return };
        failure.set(None);
        let (code_value, access) = (code.get(), use_access_code.get());
        submit.send(api::sign_in_second_step(TwoFactorSignInRequest {
            challenge: c.token.into(),
            code: (!access).then(|| code_value.clone().into()),
            recovery_code: access.then_some(code_value.into()),
        }));
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let code_error =
        Signal::derive(move || failure.get().and_then(|f| f.field("code").or_else(|| f.field("recovery_code"))));
    let pending = move || submit.pending();
    let general_error = move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message());

    view! {
        <Show when=move || !session.is_signed_in() fallback=|| view! { <Redirect path="/account"/> }>
            <section class="card narrow" aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">"Sign in"</h1>
                <Show
                    when=move || challenge.with(Option::is_some)
                    fallback=move || view! {
                        <form on:submit=submit_password novalidate>
                            <Field id="email" label="Email" value=email error=field_error("email") kind="email" autocomplete="username" required=true/>
                            <Field id="password" label="Password" value=password error=field_error("password") kind="password" autocomplete="current-password" required=true/>
                            <p class="aside"><a href="/forgot-password">"Forgot password?"</a></p>
                            <p class="form-error" role="alert">{general_error}</p>
                            <button type="submit" class="button primary wide" disabled=pending>
                                {move || if pending() { "Signing in…" } else { "Sign in" }}
                            </button>
                            {passkeys_here.then(|| view! {
                                <button type="button" class="button secondary wide" disabled=pending
                                    on:click=move |_| { failure.set(None); with_passkey(None); }>
                                    "Sign in with a passkey"
                                </button>
                            })}
                        </form>
                    }
                >
                    <form on:submit=submit_code novalidate>
                        <p>{move || challenge.get().map(|c| match c.method {
                            Some(TwoFactorMethod::Sms) => format!("We sent a verification code by text message to {}.", c.hint),
                            Some(TwoFactorMethod::Totp) => "Enter the 6-digit code from your authenticator app.".to_string(),
                            _ => format!("We sent a verification code by email to {}.", c.hint),
                        })}</p>
                        <Show
                            when=move || use_access_code.get()
                            fallback=move || view! {
                                <Field id="code" label="Verification code" value=code error=code_error autocomplete="one-time-code" required=true autofocus=true/>
                            }
                        >
                            <Field id="access-code" label="One-time access code" value=code error=code_error required=true autofocus=true/>
                        </Show>
                        <p class="form-error" role="alert">{general_error}</p>
                        <button type="submit" class="button primary wide" disabled=pending>
                            {move || if pending() { "Checking…" } else { "Verify" }}
                        </button>
                        <Show when=move || passkeys_here && challenge.with(|c| c.as_ref().is_some_and(|c| c.passkey))>
                            <button type="button" class="button secondary wide" disabled=pending on:click=move |_| {
                                failure.set(None);
                                with_passkey(challenge.get_untracked().map(|c| c.token));
                            }>"Use a passkey"</button>
                        </Show>
                        <Show when=move || challenge.with(|c| c.as_ref().is_some_and(|c| c.method != Some(TwoFactorMethod::Totp)))>
                            <p class="aside">
                                <button type="button" class="link-button" on:click=move |_| {
                                    let Some(c) = challenge.get_untracked() else { return };
                                    resent.set(None);
                                    leptos::task::spawn_local(async move {
                                        resent.set(Some(match api::resend_sign_in_code(c.token).await {
                                            Ok(sent) => format!("We sent a new code to {}.", sent.destination_hint),
                                            Err(f) => f.message(),
                                        }));
                                    });
                                }>"Resend code"</button>
                                <span class="meta" role="status">{move || resent.get()}</span>
                            </p>
                        </Show>
                        <p class="aside">
                            <button type="button" class="link-button" on:click=move |_| {
                                use_access_code.update(|v| *v = !*v);
                                code.set(String::new());
                                failure.set(None);
                            }>
                                {move || if use_access_code.get() { "Use the verification code instead" } else { "Use a one-time access code instead" }}
                            </button>
                        </p>
                        <p class="aside">
                            <button type="button" class="link-button" on:click=move |_| {
                                challenge.set(None);
                                code.set(String::new());
                                resent.set(None);
                                failure.set(None);
                            }>"Back"</button>
                        </p>
                    </form>
                </Show>
                <p class="aside">"New to Keydesk? " <a href="/sign-up">"Create an account"</a></p>
            </section>
        </Show>
    }
}
