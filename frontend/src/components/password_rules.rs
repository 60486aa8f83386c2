//! The password policy as a checklist that ticks as the user types: every rule the server applies,
//! from the shared crate, so this list and the API agree. Nothing is ticked while the field is empty.

use crate::state::CommonList;
use leptos::prelude::*;
use shared::validate::{contains_email_name, PasswordRule};

#[component]
pub fn PasswordRules(
    #[prop(into)] password: Signal<String>,
    /// The account's email, where it is known: the password may not contain its name part.
    #[prop(into, optional)]
    email: Option<Signal<String>>,
) -> impl IntoView {
    let typed = move || password.with(|p| !p.is_empty());
    let rules = PasswordRule::ALL
        .into_iter()
        .map(|rule| {
            let met = Signal::derive(move || typed() && password.with(|p| rule.is_met(p)));
            view! { <Requirement met=met label=rule.description()/> }
        })
        .collect_view();
    let email_rule = email.map(|email| {
        let met = Signal::derive(move || typed() && !password.with(|p| email.with(|e| contains_email_name(p, e))));
        view! { <Requirement met=met label="Does not contain the name part of your email address".to_string()/> }
    });
    let common = CommonList::get();
    // Ticked only once the list has arrived and the password is not on it.
    let not_common =
        Signal::derive(move || typed() && common.loaded() && password.with(|p| !common.current().contains(p)));
    view! {
        <ul class="password-rules" aria-label="Password requirements">
            {rules}
            {email_rule}
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
