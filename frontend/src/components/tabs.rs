//! The My Account tab bar. Tabs appear as their features exist.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

const TABS: [(&str, &str); 4] = [
    ("Account", "/account"),
    ("Certificates", "/account/certificates"),
    ("JS Libraries", "/account/js-libraries"),
    ("Applications", "/account/applications"),
];

#[component]
pub fn TabBar() -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="tabs" aria-label="My Account">
            {TABS
                .into_iter()
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
