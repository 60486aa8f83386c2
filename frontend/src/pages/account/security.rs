//! Security: two-factor authentication on or off, its method (masked), and its codes; passkeys.

use crate::api::{self, ApiFailure};
use crate::components::dialog::{ModalFrame, PasswordDialog};
use crate::pages::account::passkeys::Passkeys;
use crate::pages::account::recovery_codes::RecoveryCodes;
use crate::pages::account::two_factor_wizard::TwoFactorWizard;
use crate::state::{Notices, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{TwoFactorMethod, TwoFactorState};
use shared::Secret;

#[component]
pub fn Security() -> impl IntoView {
    let session = Session::get();
    let notices = Notices::get();
    let state =
        move || session.user.with(|u| u.as_ref().map(|u| u.two_factor.clone()).unwrap_or_else(TwoFactorState::off));
    let wizard_open = RwSignal::new(false);
    let deactivate_open = RwSignal::new(false);
    let renew_open = RwSignal::new(false);
    let dialog_error = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<String>);
    let new_codes = RwSignal::new(None::<Vec<String>>);
    let refresh = move || {
        spawn_local(async move {
            if let Ok(me) = api::get_me().await {
                session.user.set(Some(me));
            }
        })
    };
    let password_error = |f: ApiFailure| f.field("password").unwrap_or_else(|| f.message());

    let deactivate = Callback::new(move |password: String| {
        let entered = Some(code.get_untracked());
        spawn_local(async move {
            match api::deactivate_two_factor(password, entered).await {
                Ok(()) => {
                    deactivate_open.set(false);
                    dialog_error.set(None);
                    code_error.set(None);
                    code.set(String::new());
                    notices.show("Two-factor authentication is off.");
                    refresh();
                }
                Err(f) => {
                    code_error.set(f.field("two_factor_code"));
                    dialog_error.set(f.field("two_factor_code").is_none().then(|| password_error(f)));
                }
            }
        });
    });
    let renew = Callback::new(move |password: String| {
        spawn_local(async move {
            match api::new_recovery_codes(password).await {
                Ok(codes) => {
                    renew_open.set(false);
                    dialog_error.set(None);
                    new_codes.set(Some(codes.recovery_codes.into_iter().map(Secret::into_inner).collect()));
                    refresh();
                }
                Err(f) => dialog_error.set(Some(password_error(f))),
            }
        });
    });

    view! {
        <section class="card" aria-labelledby="security-title">
            <h2 id="security-title">"Security"</h2>
            {move || {
                let s = state();
                if s.enabled {
                    let hint = s.destination_hint.clone().unwrap_or_default();
                    let how = match s.method {
                        Some(TwoFactorMethod::Sms) => format!("Codes go by text message to {hint}."),
                        Some(TwoFactorMethod::Totp) => "Codes come from your authenticator app.".to_string(),
                        _ => format!("Codes go by email to {hint}."),
                    };
                    view! {
                        <p class="status on" data-testid="two-factor-status">
                            "Two-factor authentication is on. " {how}
                        </p>
                        <p class="meta">{format!("{} one-time access codes left.", s.recovery_codes_remaining)}</p>
                        <div class="key-row">
                            <button class="button secondary" on:click=move |_| wizard_open.set(true)>"Update two-factor authentication"</button>
                            <button class="button secondary" on:click=move |_| { dialog_error.set(None); renew_open.set(true); }>"New access codes"</button>
                            <button class="button danger-outline" on:click=move |_| { dialog_error.set(None); code_error.set(None); deactivate_open.set(true); }>"Deactivate"</button>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="status off" data-testid="two-factor-status">
                            "Two-factor authentication is off. Turn it on to require a code sent by email or text message at every sign-in, "
                            "and to get an email when someone signs in from a device we do not recognize."
                        </p>
                        <button class="button primary" on:click=move |_| wizard_open.set(true)>"Activate"</button>
                    }
                    .into_any()
                }
            }}
            <TwoFactorWizard open=wizard_open on_done=Callback::new(move |()| {
                notices.show("Two-factor authentication is on.");
                refresh();
            })/>
            <PasswordDialog
                open=deactivate_open
                error=dialog_error
                on_submit=deactivate
                second_factor=(code, code_error.into())
                title="Deactivate two-factor authentication?"
                message="Sign-ins will need only your password, and your two-factor authentication contact details will be removed. Enter your password and a current code to confirm."
                submit_label="Turn off two-factor authentication"
                danger=true
            />
            <PasswordDialog
                open=renew_open
                error=dialog_error
                on_submit=renew
                title="Make new one-time access codes?"
                message="Your current codes stop working. Enter your password to continue."
                submit_label="Make new codes"
            />
            <Passkeys/>
            <Show when=move || new_codes.with(Option::is_some)>
                <ModalFrame labelledby="new-codes-title" on_close=Callback::new(move |()| { new_codes.set(None); })>
                    <div class="modal">
                        <h2 id="new-codes-title">"Your new one-time access codes"</h2>
                        <RecoveryCodes codes=new_codes.get().unwrap_or_default()/>
                        <div class="modal-actions">
                            <button class="button primary" on:click=move |_| new_codes.set(None)>"Done"</button>
                        </div>
                    </div>
                </ModalFrame>
            </Show>
        </section>
    }
}
