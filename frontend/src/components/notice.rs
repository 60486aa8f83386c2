//! Shows the current brief notice (see [`crate::state::Notices`]).

use crate::state::Notices;
use leptos::prelude::*;

#[component]
pub fn NoticeBar() -> impl IntoView {
    let notices = expect_context::<Notices>();
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            {move || notices.current.get().map(|(_, text)| view! { <p class="notice">{text}</p> })}
        </div>
    }
}
