//! One-time access codes, shown once, with Copy and Download.

use crate::components::copy_button::CopyButton;
use leptos::prelude::*;

#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let text = codes.join("\n");
    let download = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&format!("{text}\n")));
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
                <CopyButton text/>
                <a class="button secondary" href=download download="keydesk-access-codes.txt">"Download"</a>
            </div>
        </div>
    }
}
