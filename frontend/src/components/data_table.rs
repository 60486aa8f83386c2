//! The dashboard's tables: headed columns, a last column of row actions, scrolling sideways when narrow.

use leptos::prelude::*;

#[component]
pub fn DataTable(
    /// The column headings; an unlabelled Actions column follows them.
    headers: &'static [&'static str],
    /// For tests to find the table.
    #[prop(optional)]
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table data-testid=(!testid.is_empty()).then_some(testid)>
                <thead>
                    <tr>
                        {headers.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}
                        <th><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A list from the server: loading, its error, an empty message, or what `render` makes of the items.
#[component]
pub fn ListView<T, F, V>(
    list: crate::state::ReloadingList<T>,
    /// Shown when there are no items; empty: render the empty list as it is.
    #[prop(optional)]
    empty: &'static str,
    render: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(Vec<T>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || list.items.get().map(|result| match result {
                Err(f) => view! { <p class="form-error">{f.message()}</p> }.into_any(),
                Ok(items) if items.is_empty() && !empty.is_empty() => view! { <p class="empty">{empty}</p> }.into_any(),
                Ok(items) => render(items).into_any(),
            })}
        </Transition>
    }
}
