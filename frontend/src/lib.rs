//! Keydesk's dashboard: the app shell and its routes.

#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod api;
mod components;
mod pages;
mod state;
mod submit;
mod webauthn;

use components::header::Header;
use components::notice::NoticeBar;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::{
    account::{
        AccountLogPage, AuthenticationPage, KeysPage, OrganizationPage, ProfilePage, SecurityLogPage, UsersPage,
    },
    applications::ApplicationsPage,
    certificates::CertificatesPage,
    forgot_password::ForgotPasswordPage,
    home::Home,
    integrations::IntegrationsPage,
    js_libraries::JsLibrariesPage,
    not_found::NotFound,
    oauth_tokens::OAuthTokensPage,
    set_password::SetPasswordPage,
    sign_in::SignInPage,
    sign_up::SignUpPage,
    verify_email::VerifyEmailPage,
};
use state::{CommonList, Notices, Session};

#[component]
pub fn App() -> impl IntoView {
    let session = Session::provide();
    Notices::provide();
    CommonList::provide();
    state::provide_change_counter();
    session.load();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header/>
            <main id="main">
                <Show when=move || session.loaded.get() fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/sign-in") view=SignInPage/>
                        <Route path=path!("/sign-up") view=SignUpPage/>
                        <Route path=path!("/set-password") view=SetPasswordPage/>
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                        <Route path=path!("/verify-email") view=VerifyEmailPage/>
                        <Route path=path!("/account") view=ProfilePage/>
                        <Route path=path!("/account/authentication") view=AuthenticationPage/>
                        <Route path=path!("/account/keys") view=KeysPage/>
                        <Route path=path!("/account/security-log") view=SecurityLogPage/>
                        <Route path=path!("/account/users") view=UsersPage/>
                        <Route path=path!("/account/organization") view=OrganizationPage/>
                        <Route path=path!("/account/account-log") view=AccountLogPage/>
                        <Route path=path!("/account/certificates") view=CertificatesPage/>
                        <Route path=path!("/account/oauth-tokens") view=OAuthTokensPage/>
                        <Route path=path!("/account/js-libraries") view=JsLibrariesPage/>
                        <Route path=path!("/account/integrations") view=IntegrationsPage/>
                        <Route path=path!("/account/applications") view=ApplicationsPage/>
                    </Routes>
                </Show>
            </main>
            <NoticeBar/>
        </Router>
    }
}
