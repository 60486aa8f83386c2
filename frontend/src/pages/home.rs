//! `/`: sends the visitor where they belong.

use crate::state::Session;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Home() -> impl IntoView {
    let target = if Session::get().is_signed_in() { "/account" } else { "/sign-in" };
    view! { <Redirect path=target/> }
}
