//! The My Account tab bar. Tabs appear as their features exist.

use crate::state::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const OAUTH_TOKENS: (&str, &str) = ("OAuth Tokens", "/account/oauth-tokens");
const TABS: [(&str, &str); 6] = [
    ("Account", "/account"),
    ("Certificates", "/account/certificates"),
    OAUTH_TOKENS,
    ("JS Libraries", "/account/js-libraries"),
    ("Integrations", "/account/integrations"),
    ("Applications", "/account/applications"),
];

#[component]
pub fn TabBar() -> impl IntoView {
    let location = use_location();
    // The OAuth Tokens tab shows only for accounts with Stripe enabled, as in the spec.
    let stripe = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.account.stripe_enabled));
    view! {
        <nav class="tabs" aria-label="My Account">
            {TABS
                .into_iter()
                .filter(|tab| stripe || *tab != OAUTH_TOKENS)
                .map(|(label, href)| {
                    let current = move || location.pathname.get() == href;
                    view! {
                        <a href=href class="tab" class:active=current aria-current=move || current().then_some("page")>
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
