//! The password policy as a checklist that ticks as the user types.
//! The rules come from the shared crate, so this list and the API agree.

use leptos::prelude::*;
use shared::validate::PasswordRule;

#[component]
pub fn PasswordRules(#[prop(into)] password: Signal<String>) -> impl IntoView {
    let rules = PasswordRule::ALL
        .into_iter()
        .map(|rule| {
            let met = move || password.with(|p| rule.is_met(p));
            view! {
                <li class:met=met data-met=move || met().to_string()>
                    <span class="tick" aria-hidden="true">{move || if met() { "✓" } else { "•" }}</span>
                    {rule.description()}
                    <span class="visually-hidden">{move || if met() { " (met)" } else { " (not met yet)" }}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="password-rules" aria-label="Password requirements">
            {rules}
        </ul>
    }
}
