//! The password policy as a checklist that ticks as the user types.
//! The rules come from the shared crate, so this list and the API agree.

use crate::state::CommonList;
use leptos::prelude::*;
use shared::validate::PasswordRule;

#[component]
pub fn PasswordRules(#[prop(into)] password: Signal<String>) -> impl IntoView {
    let rules = PasswordRule::ALL
        .into_iter()
        .map(|rule| {
            let met = Signal::derive(move || password.with(|p| rule.is_met(p)));
            view! { <Requirement met=met label=rule.description()/> }
        })
        .collect_view();
    let common = CommonList::get();
    // Ticked only once the list has arrived and the password is not on it.
    let not_common =
        Signal::derive(move || common.loaded() && password.with(|p| !p.is_empty() && !common.current().contains(p)));
    view! {
        <ul class="password-rules" aria-label="Password requirements">
            {rules}
            <Requirement met=not_common label="Not one of the most common passwords".to_string()/>
        </ul>
    }
}

#[component]
fn Requirement(met: Signal<bool>, label: String) -> impl IntoView {
    view! {
        <li class:met=met data-met=move || met.get().to_string()>
            <span class="tick" aria-hidden="true">{move || if met.get() { "✓" } else { "•" }}</span>
            {label}
            <span class="visually-hidden">{move || if met.get() { " (met)" } else { " (not met yet)" }}</span>
        </li>
    }
}
