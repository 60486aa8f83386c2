//! A Copy button: puts a text on the clipboard and says so.

use leptos::prelude::*;

#[component]
pub fn CopyButton(
    /// What the button copies.
    text: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="button secondary" on:click=copy>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
