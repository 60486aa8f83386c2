//! A Copy button: puts a text on the clipboard and says so.

use leptos::prelude::*;

#[component]
pub fn CopyButton(
    /// What the button copies.
    text: String,
    /// Its label says what it copies, for screen readers beside other Copy buttons ("Copy fingerprint").
    #[prop(default = "Copy")]
    label: &'static str,
    /// In a table row.
    #[prop(optional)]
    small: bool,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="button secondary" class:small=small aria-label=(label != "Copy").then_some(label) on:click=copy>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
