//! Admin options: the account's token policy (longest lifetime, tokens without expiry) and every
//! user's access tokens, with Revoke.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::pages::account::access_tokens::TokenList;
use crate::state::Notices;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::TokenPolicy;

#[component]
pub fn AccountAccessTokens() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="account-tokens-title">
            <h2 id="account-tokens-title">"Access tokens in this account"</h2>
            <p class="help">"Every user's access tokens. Revoking one stops the scripts that use it at once."</p>
            <TokenPolicyForm/>
            <TokenList account_wide=true/>
        </section>
    }
}

/// What tokens the account's users may create; it applies to tokens created from now on.
#[component]
fn TokenPolicyForm() -> impl IntoView {
    let notices = Notices::get();
    let days = RwSignal::new(String::new());
    let allow_no_expiry = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let show = move |policy: TokenPolicy| {
        days.set(policy.max_lifetime_days.to_string());
        allow_no_expiry.set(policy.allow_no_expiry);
    };
    // The form shows once the stored policy is in, so a late answer cannot overwrite what is typed.
    let loaded = RwSignal::new(false);
    spawn_local(async move {
        match api::get_token_policy().await {
            Ok(policy) => show(policy),
            Err(f) => failure.set(Some(f)),
        }
        loaded.set(true);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let policy = TokenPolicy {
            // Not a number: 0, which the shared rule refuses in the server's words.
            max_lifetime_days: days.get_untracked().trim().parse().unwrap_or(0),
            allow_no_expiry: allow_no_expiry.get_untracked(),
        };
        if let Some(problems) = ApiFailure::for_problems(policy.problems()) {
            return failure.set(Some(problems));
        }
        spawn_local(async move {
            match api::save_token_policy(policy).await {
                Ok(saved) => {
                    failure.set(None);
                    show(saved);
                    notices.show("The token policy is saved. It applies to tokens created from now on.");
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };

    view! {
        <Show when=move || loaded.get() fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <form class="token-policy" on:submit=save novalidate aria-labelledby="token-policy-title">
                <h3 id="token-policy-title">"Token policy"</h3>
                <div class="inline-form">
                    <Field id="token-max-days" label="Longest lifetime (days)" kind="number" value=days required=true
                        error=Signal::derive(move || failure.get().and_then(|f| f.field("max_lifetime_days")))/>
                    <label class="choice" for="token-allow-no-expiry">
                        <input id="token-allow-no-expiry" type="checkbox" prop:checked=move || allow_no_expiry.get()
                            on:change=move |ev| allow_no_expiry.set(event_target_checked(&ev))/>
                        " Allow tokens without expiry"
                    </label>
                    <button type="submit" class="button secondary">"Save policy"</button>
                </div>
                <p class="form-error" role="alert">
                    {move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}
                </p>
            </form>
        </Show>
    }
}
