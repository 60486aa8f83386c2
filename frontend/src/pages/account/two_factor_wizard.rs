//! The two-factor authentication window: the spec's five steps. Choose Email or Text message (SMS),
//! enter the address or number, enter the code sent, then record the one-time access codes.

use crate::api::{self, ApiFailure};
use crate::components::dialog::ModalFrame;
use crate::components::field::{Field, UsernameHint};
use crate::components::second_factor_field::{self, SecondFactorField};
use crate::pages::account::recovery_codes::RecoveryCodes;
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

/// What the steps share: the answers so far, the server's last failure, and the two requests.
#[derive(Clone, Copy)]
struct Wizard {
    step: RwSignal<Step>,
    method: RwSignal<TwoFactorMethod>,
    /// Codes by email go to the account's address unless the user types another.
    account_email: StoredValue<String>,
    destination: RwSignal<String>,
    password: RwSignal<String>,
    needs_password: RwSignal<bool>,
    /// Changing a method in force needs a current code of it.
    current_code: RwSignal<String>,
    code: RwSignal<String>,
    hint: RwSignal<String>,
    authenticator: RwSignal<Option<AuthenticatorSetup>>,
    failure: RwSignal<Option<ApiFailure>>,
    busy: RwSignal<bool>,
}

impl Wizard {
    fn new() -> Wizard {
        let account_email = crate::state::Session::get()
            .user
            .with_untracked(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default());
        Wizard {
            step: RwSignal::new(Step::Choose),
            method: RwSignal::new(TwoFactorMethod::Email),
            destination: RwSignal::new(account_email.clone()),
            account_email: StoredValue::new(account_email),
            password: RwSignal::new(String::new()),
            needs_password: RwSignal::new(false),
            current_code: RwSignal::new(String::new()),
            code: RwSignal::new(String::new()),
            hint: RwSignal::new(String::new()),
            authenticator: RwSignal::new(None),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Back to step one, as every opening starts.
    fn restart(self) {
        self.step.set(Step::Choose);
        self.destination.set(String::new());
        self.code.set(String::new());
        self.password.set(String::new());
        self.needs_password.set(false);
        self.authenticator.set(None);
        self.failure.set(None);
    }

    /// Asks the server to send a code (or an app's secret) for the chosen method and destination.
    fn send_code(self) {
        self.busy.set(true);
        self.failure.set(None);
        let request = StartTwoFactorRequest {
            method: self.method.get_untracked(),
            destination: self.destination.get_untracked(),
            password: self.needs_password.get_untracked().then(|| self.password.get_untracked().into()),
            two_factor_code: second_factor_field::entered(self.current_code).map(Into::into),
        };
        spawn_local(async move {
            match api::start_two_factor(request).await {
                Ok(sent) => {
                    self.hint.set(sent.destination_hint);
                    self.authenticator.set(sent.authenticator);
                    self.step.set(Step::Code);
                }
                Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
                    self.needs_password.set(true);
                    self.failure.set(Some(f));
                }
                Err(f) => self.failure.set(Some(f)),
            }
            self.busy.set(false);
        });
    }

    /// Checks the code entered; on success the access codes follow.
    fn verify(self) {
        self.busy.set(true);
        self.failure.set(None);
        let entered = self.code.get_untracked();
        spawn_local(async move {
            match api::verify_two_factor(entered).await {
                Ok(codes) => {
                    self.step.set(Step::Codes(codes.recovery_codes.into_iter().map(Secret::into_inner).collect()))
                }
                Err(f) => self.failure.set(Some(f)),
            }
            self.busy.set(false);
        });
    }

    fn field_error(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.failure.get().and_then(|f| f.field(field)))
    }

    fn general_error(self) -> impl Fn() -> Option<String> + Copy {
        move || self.failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())
    }
}

#[component]
pub fn TwoFactorWizard(open: RwSignal<bool>, on_done: Callback<()>) -> impl IntoView {
    let wizard = Wizard::new();
    Effect::new(move |_| {
        if open.get() {
            wizard.restart();
        }
    });
    let close = Callback::new(move |()| {
        let finished = matches!(wizard.step.get_untracked(), Step::Codes(_));
        open.set(false);
        if finished {
            on_done.run(());
        }
    });
    let body = move || match wizard.step.get() {
        Step::Choose => view! { <ChooseStep wizard close/> }.into_any(),
        Step::Destination => view! { <DestinationStep wizard/> }.into_any(),
        Step::Code => view! { <CodeStep wizard/> }.into_any(),
        Step::Codes(codes) => view! {
            <RecoveryCodes codes=codes/>
            <div class="modal-actions">
                <button type="button" class="button primary" on:click=move |_| close.run(())>"Done"</button>
            </div>
        }
        .into_any(),
    };
    view! {
        <Show when=move || open.get()>
            <ModalFrame labelledby="two-factor-title" on_close=close>
                <div class="modal">
                    <h2 id="two-factor-title">"Two-factor authentication"</h2>
                    {body}
                </div>
            </ModalFrame>
        </Show>
    }
}

/// The password field shown once the server asks for it (the last sign-in is old).
#[component]
fn PasswordAgain(wizard: Wizard, id: &'static str) -> impl IntoView {
    view! {
        <Show when=move || wizard.needs_password.get()>
            <UsernameHint/>
            <Field id=id label="Your password" value=wizard.password error=wizard.field_error("password")
                kind="password" autocomplete="current-password" required=true/>
        </Show>
    }
}

/// Step one: email, text message or an authenticator app.
#[component]
fn ChooseStep(wizard: Wizard, close: Callback<()>) -> impl IntoView {
    let Wizard { method, destination, account_email, busy, .. } = wizard;
    view! {
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
        <SecondFactorField id="two-factor-current-code" value=wizard.current_code error=wizard.field_error("two_factor_code")/>
        <PasswordAgain wizard id="two-factor-app-password"/>
        <p class="form-error" role="alert">{wizard.general_error()}</p>
        <div class="modal-actions">
            <button type="button" class="button secondary" on:click=move |_| close.run(())>"Cancel"</button>
            <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| {
                // An app needs no address: its secret comes straight from the server.
                if method.get_untracked() == TwoFactorMethod::Totp { wizard.send_code() } else { wizard.step.set(Step::Destination) }
            }>"Next"</button>
        </div>
    }
}

/// Step two: where the codes go.
#[component]
fn DestinationStep(wizard: Wizard) -> impl IntoView {
    let (label, kind) = match wizard.method.get_untracked() {
        TwoFactorMethod::Email => ("Email address for codes", "email"),
        TwoFactorMethod::Sms | TwoFactorMethod::Totp => ("Mobile phone number (e.g. +15551234567)", "tel"),
    };
    view! {
        <form on:submit=move |ev| { ev.prevent_default(); wizard.send_code(); } novalidate>
            <Field id="two-factor-destination" label=label value=wizard.destination error=wizard.field_error("destination")
                kind=kind required=true/>
            <PasswordAgain wizard id="two-factor-password"/>
            <p class="form-error" role="alert">{wizard.general_error()}</p>
            <div class="modal-actions">
                <button type="button" class="button secondary" on:click=move |_| wizard.step.set(Step::Choose)>"Back"</button>
                <button type="submit" class="button primary" disabled=move || wizard.busy.get()>"Next"</button>
            </div>
        </form>
    }
}

/// Step three: the code sent (or the app's QR code and the code it shows).
#[component]
fn CodeStep(wizard: Wizard) -> impl IntoView {
    let Wizard { authenticator, hint, busy, .. } = wizard;
    view! {
        <form on:submit=move |ev| { ev.prevent_default(); wizard.verify(); } novalidate>
            {move || match authenticator.get() {
                Some(app) => view! {
                    <p>"Scan this QR code with your authenticator app, or enter the key by hand. Then enter the 6-digit code the app shows."</p>
                    <div class="qr" inner_html=app.qr_svg.expose().to_string()></div>
                    <p class="meta">"Key: " <code data-testid="totp-secret">{app.secret.expose().to_string()}</code></p>
                }
                .into_any(),
                None => view! { <p>{format!("Enter the verification code we sent to {}.", hint.get())}</p> }.into_any(),
            }}
            <Field id="two-factor-code" label="Verification code" value=wizard.code error=wizard.field_error("code")
                autocomplete="one-time-code" required=true/>
            <p class="form-error" role="alert">{wizard.general_error()}</p>
            <div class="modal-actions">
                <Show when=move || authenticator.with(Option::is_none)>
                    <button type="button" class="button secondary" disabled=move || busy.get() on:click=move |_| wizard.send_code()>
                        "Send a new code"
                    </button>
                </Show>
                <button type="submit" class="button primary" disabled=move || busy.get()>"Verify"</button>
            </div>
        </form>
    }
}
