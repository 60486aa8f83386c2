//! One-time access codes, shown once, with Copy and Download.

use leptos::prelude::*;

#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let text = codes.join("\n");
    let download = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&format!("{text}\n")));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    view! {
        <div class="recovery-codes">
            <p class="warning" role="alert">
                <strong>"You will not be able to view these codes again once you leave this window, and we cannot retrieve them."</strong>
                " Record them and keep them somewhere safe. Each code works once, if you lose access to your email or phone."
            </p>
            <ol class="code-list" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <div class="key-row">
                <button type="button" class="button secondary" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
                <a class="button secondary" href=download download="keydesk-access-codes.txt">"Download"</a>
            </div>
        </div>
    }
}
