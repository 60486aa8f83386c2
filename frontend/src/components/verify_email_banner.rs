//! The reminder shown until a sign-up's address is confirmed, with a way to get the link again.
//! Nothing waits for it: the dashboard works meanwhile.

use crate::api::{self, ApiFailure};
use crate::state::{Notices, Session};
use crate::submit::Submit;
use leptos::prelude::*;

#[component]
pub fn VerifyEmailBanner() -> impl IntoView {
    let session = Session::get();
    let notices = Notices::get();
    let resend = Submit::new(move |answer: Result<(), ApiFailure>| match answer {
        Ok(()) => notices.show("We sent a new link. It works for 24 hours."),
        Err(e) => notices.show(e.message()),
    });
    let unverified = move || session.user.with(|u| u.as_ref().is_some_and(|me| !me.email_verified));
    let email = move || session.user.with(|u| u.as_ref().map(|me| me.email.clone()).unwrap_or_default());

    view! {
        <Show when=unverified>
            <div class="banner" role="region" aria-label="Address confirmation">
                <p>"Please confirm your email address: we sent a link to " <strong>{email}</strong> "."</p>
                <button type="button" class="button" disabled=move || resend.pending()
                    on:click=move |_| { resend.send(api::resend_verification_link()); }>
                    "Resend link"
                </button>
            </div>
        </Show>
    }
}
