//! A table cell naming a browser in words ("Chrome 131 on Linux"), its full User-Agent on hover, and
//! whether it is this one: sessions and remembered devices show browsers the same way.

use leptos::prelude::*;

#[component]
pub fn BrowserCell(browser: String, user_agent: String, current: bool) -> impl IntoView {
    view! {
        <td class="wrap">
            <span title=user_agent>{browser}</span>
            {current.then(|| view! { <strong>" (this browser)"</strong> })}
        </td>
    }
}
