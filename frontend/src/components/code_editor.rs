//! A monospace code editor with line numbers and a live character counter.

use crate::components::modal_form::FormErrors;
use leptos::prelude::*;

/// The textarea grows with its lines (no wrapping), so one scrolling frame keeps the numbers aligned.
#[component]
pub fn CodeEditor(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    max_chars: usize,
    /// The code's name in the API, whose problems the enclosing form's [`FormErrors`] holds.
    errors_for: &'static str,
) -> impl IntoView {
    let error = FormErrors::find().map(|errors| errors.field(errors_for)).unwrap_or_default();
    let lines = move || value.with(|v| v.lines().count().max(1) + usize::from(v.ends_with('\n')));
    let count = move || value.with(|v| v.chars().count());
    let (count_id, error_id) = (format!("{id}-count"), format!("{id}-error"));
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <div class="code-frame">
                <pre class="code-gutter" aria-hidden="true">
                    {move || (1..=lines()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n")}
                </pre>
                <textarea id=id class="code-editor" spellcheck="false" wrap="off"
                    rows=move || lines().max(14).to_string()
                    maxlength=max_chars.to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:keydown=move |ev| indent_on_tab(&ev, value)
                    aria-describedby=format!("{count_id} {error_id}")></textarea>
            </div>
            <p class="meta" id=count_id aria-live="polite">
                {move || format!("{} / {max_chars} characters. Tab indents; Shift+Tab leaves the editor.", count())}
            </p>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Tab types two spaces where the cursor is, as in a code editor, instead of moving focus (which
/// would leave the next key, often Space, to press Cancel). Shift+Tab still moves focus out.
fn indent_on_tab(ev: &leptos::ev::KeyboardEvent, value: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    if ev.key() != "Tab" || ev.shift_key() || ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
        return;
    }
    let Some(area) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let (Ok(Some(start)), Ok(Some(end))) = (area.selection_start(), area.selection_end()) else { return };
    ev.prevent_default();
    if area.set_range_text_with_start_and_end_and_mode("  ", start, end, "end").is_ok() {
        value.set(area.value());
    }
}
