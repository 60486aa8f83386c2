//! The two-factor authentication window: the spec's five steps. Choose Email or Text message (SMS),
//! enter the address or number, enter the code sent, then record the one-time access codes.

use crate::api::{self, ApiFailure};
use crate::components::dialog::ModalFrame;
use crate::components::field::{Field, UsernameHint};
use crate::components::recovery_codes::RecoveryCodes;
use crate::components::second_factor_field::{self, SecondFactorField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{AuthenticatorSetup, StartTwoFactorRequest, TwoFactorMethod};
use shared::Secret;

#[derive(Clone, PartialEq)]
enum Step {
    Choose,
    Destination,
    Code,
    Codes(Vec<String>),
}

#[component]
pub fn TwoFactorWizard(open: RwSignal<bool>, on_done: Callback<()>) -> impl IntoView {
    let step = RwSignal::new(Step::Choose);
    let method = RwSignal::new(TwoFactorMethod::Email);
    // Codes by email go to the account's address unless the user types another.
    let account_email =
        crate::state::Session::get().user.with_untracked(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    let destination = RwSignal::new(account_email.clone());
    let account_email = StoredValue::new(account_email);
    let password = RwSignal::new(String::new());
    let needs_password = RwSignal::new(false);
    // Changing a method in force needs a current code of it.
    let current_code = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let hint = RwSignal::new(String::new());
    let authenticator = RwSignal::new(None::<AuthenticatorSetup>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let busy = RwSignal::new(false);

    // Every opening starts at step one.
    Effect::new(move |_| {
        if open.get() {
            step.set(Step::Choose);
            destination.set(String::new());
            code.set(String::new());
            password.set(String::new());
            needs_password.set(false);
            authenticator.set(None);
            failure.set(None);
        }
    });
    let close = move || {
        let finished = matches!(step.get_untracked(), Step::Codes(_));
        open.set(false);
        if finished {
            on_done.run(());
        }
    };

    let send_code = move || {
        busy.set(true);
        failure.set(None);
        let request = StartTwoFactorRequest {
            method: method.get_untracked(),
            destination: destination.get_untracked(),
            password: needs_password.get_untracked().then(|| password.get_untracked().into()),
            two_factor_code: second_factor_field::entered(current_code).map(Into::into),
        };
        spawn_local(async move {
            match api::start_two_factor(request).await {
                Ok(sent) => {
                    hint.set(sent.destination_hint);
                    authenticator.set(sent.authenticator);
                    step.set(Step::Code);
                }
                Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
                    needs_password.set(true);
                    failure.set(Some(f));
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let verify = move || {
        busy.set(true);
        failure.set(None);
        let entered = code.get_untracked();
        spawn_local(async move {
            match api::verify_two_factor(entered).await {
                Ok(codes) => step.set(Step::Codes(codes.recovery_codes.into_iter().map(Secret::into_inner).collect())),
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let general_error = move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message());

    let body = move || {
        match step.get() {
        Step::Choose => view! {
            <fieldset class="choices">
                <legend>"How should we send your verification codes?"</legend>
                <label class="choice">
                    <input type="radio" name="method" checked=move || method.get() == TwoFactorMethod::Email
                        on:change=move |_| { method.set(TwoFactorMethod::Email); destination.set(account_email.get_value()); }/>
                    " Email"
                </label>
                <label class="choice">
                    <input type="radio" name="method" checked=move || method.get() == TwoFactorMethod::Sms
                        on:change=move |_| { method.set(TwoFactorMethod::Sms); destination.set(String::new()); }/>
                    " Text message (SMS)"
                </label>
                <label class="choice">
                    <input type="radio" name="method" checked=move || method.get() == TwoFactorMethod::Totp
                        on:change=move |_| method.set(TwoFactorMethod::Totp)/>
                    " Authenticator app"
                </label>
            </fieldset>
            <SecondFactorField id="two-factor-current-code" value=current_code error=field_error("two_factor_code")/>
            <Show when=move || needs_password.get()>
                <UsernameHint/>
                <Field id="two-factor-app-password" label="Your password" value=password error=field_error("password")
                    kind="password" autocomplete="current-password" required=true/>
            </Show>
            <p class="form-error" role="alert">{general_error}</p>
            <div class="modal-actions">
                <button type="button" class="button secondary" on:click=move |_| close()>"Cancel"</button>
                <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| {
                    // An app needs no address: its secret comes straight from the server.
                    if method.get_untracked() == TwoFactorMethod::Totp { send_code() } else { step.set(Step::Destination) }
                }>"Next"</button>
            </div>
        }
        .into_any(),
        Step::Destination => {
            let (label, kind) = match method.get_untracked() {
                TwoFactorMethod::Email => ("Email address for codes", "email"),
                TwoFactorMethod::Sms | TwoFactorMethod::Totp => ("Mobile phone number (e.g. +15551234567)", "tel"),
            };
            view! {
                <form on:submit=move |ev| { ev.prevent_default(); send_code(); } novalidate>
                    <Field id="two-factor-destination" label=label value=destination error=field_error("destination") kind=kind required=true/>
                    <Show when=move || needs_password.get()>
                        <UsernameHint/>
                        <Field id="two-factor-password" label="Your password" value=password error=field_error("password")
                            kind="password" autocomplete="current-password" required=true/>
                    </Show>
                    <p class="form-error" role="alert">{general_error}</p>
                    <div class="modal-actions">
                        <button type="button" class="button secondary" on:click=move |_| step.set(Step::Choose)>"Back"</button>
                        <button type="submit" class="button primary" disabled=move || busy.get()>"Next"</button>
                    </div>
                </form>
            }
            .into_any()
        }
        Step::Code => view! {
            <form on:submit=move |ev| { ev.prevent_default(); verify(); } novalidate>
                {move || match authenticator.get() {
                    Some(app) => view! {
                        <p>"Scan this QR code with your authenticator app, or enter the key by hand. Then enter the 6-digit code the app shows."</p>
                        <div class="qr" inner_html=app.qr_svg.expose().to_string()></div>
                        <p class="meta">"Key: " <code data-testid="totp-secret">{app.secret.expose().to_string()}</code></p>
                    }
                    .into_any(),
                    None => view! { <p>{format!("Enter the verification code we sent to {}.", hint.get())}</p> }.into_any(),
                }}
                <Field id="two-factor-code" label="Verification code" value=code error=field_error("code") autocomplete="one-time-code" required=true/>
                <p class="form-error" role="alert">{general_error}</p>
                <div class="modal-actions">
                    <Show when=move || authenticator.with(Option::is_none)>
                        <button type="button" class="button secondary" disabled=move || busy.get() on:click=move |_| send_code()>"Send a new code"</button>
                    </Show>
                    <button type="submit" class="button primary" disabled=move || busy.get()>"Verify"</button>
                </div>
            </form>
        }
        .into_any(),
        Step::Codes(codes) => view! {
            <RecoveryCodes codes=codes/>
            <div class="modal-actions">
                <button type="button" class="button primary" on:click=move |_| close()>"Done"</button>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <Show when=move || open.get()>
            <ModalFrame labelledby="two-factor-title" on_close=Callback::new(move |()| close())>
                <div class="modal">
                    <h2 id="two-factor-title">"Two-factor authentication"</h2>
                    {body}
                </div>
            </ModalFrame>
        </Show>
    }
}
