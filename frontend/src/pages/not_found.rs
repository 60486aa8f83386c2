//! Any unknown path.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing here. " <a href="/">"Go to your account"</a> "."</p>
        </section>
    }
}
