//! The My Account sidebar (GitHub-style settings): every section with its own URL, grouped; on a
//! phone it folds into a menu button that names the section shown.

use crate::state::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::v1::Role;

/// Who sees a section's link.
#[derive(Clone, Copy, PartialEq)]
enum Audience {
    Everyone,
    Admins,
    /// Accounts with Stripe enabled, as in the spec.
    Stripe,
}

struct Section {
    label: &'static str,
    href: &'static str,
    audience: Audience,
}

const fn section(label: &'static str, href: &'static str, audience: Audience) -> Section {
    Section { label, href, audience }
}

/// The groups, each with a heading, in the order shown.
const GROUPS: [(&str, &[Section]); 3] = [
    (
        "Personal settings",
        &[
            section("Profile", "/account", Audience::Everyone),
            section("Password and authentication", "/account/authentication", Audience::Everyone),
            section("Developer key and tokens", "/account/keys", Audience::Everyone),
            section("Security log", "/account/security-log", Audience::Everyone),
        ],
    ),
    (
        "Organization",
        &[
            section("Users", "/account/users", Audience::Admins),
            section("Account information", "/account/organization", Audience::Admins),
            section("Account security log", "/account/account-log", Audience::Admins),
        ],
    ),
    (
        "Voice platform",
        &[
            section("Certificates", "/account/certificates", Audience::Everyone),
            section("OAuth tokens", "/account/oauth-tokens", Audience::Stripe),
            section("JS libraries", "/account/js-libraries", Audience::Everyone),
            section("Integrations", "/account/integrations", Audience::Everyone),
            section("Applications", "/account/applications", Audience::Everyone),
        ],
    ),
];

#[component]
pub fn SettingsNav() -> impl IntoView {
    let location = use_location();
    let (admin, stripe) = Session::get()
        .user
        .with_untracked(|u| u.as_ref().map_or((false, false), |u| (u.role == Role::Admin, u.account.stripe_enabled)));
    let shown = move |s: &Section| match s.audience {
        Audience::Everyone => true,
        Audience::Admins => admin,
        Audience::Stripe => stripe,
    };
    // The phone's menu: closed after each choice.
    let open = RwSignal::new(false);
    let current_label = move || {
        let path = location.pathname.get();
        GROUPS.iter().flat_map(|(_, sections)| sections.iter()).find(|s| s.href == path).map_or("Menu", |s| s.label)
    };
    let groups = GROUPS
        .iter()
        .filter_map(|(heading, sections)| {
            let links: Vec<_> = sections
                .iter()
                .filter(|s| shown(s))
                .map(|s| {
                    let href = s.href;
                    let current = move || location.pathname.get() == href;
                    view! {
                        <li>
                            <a href=href class:active=current aria-current=move || current().then_some("page")
                                on:click=move |_| open.set(false)>
                                {s.label}
                            </a>
                        </li>
                    }
                })
                .collect();
            (!links.is_empty()).then(|| view! { <h2 class="settings-group">{*heading}</h2> <ul>{links}</ul> })
        })
        .collect_view();
    view! {
        <nav class="settings-nav" aria-label="My Account">
            <button type="button" class="settings-menu button secondary" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {current_label} " ▾"
            </button>
            <div class="settings-links" class:open=move || open.get()>{groups}</div>
        </nav>
    }
}
