//! The dashboard's tables: headed columns, a last column of row actions, scrolling sideways when narrow.

use crate::api::ApiFailure;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn DataTable(
    /// The column headings; an unlabelled Actions column follows them.
    headers: &'static [&'static str],
    /// For tests to find the table.
    #[prop(optional)]
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    // On a phone each row stacks as a card: each cell is labelled with its column's heading there.
    let table = NodeRef::<leptos::html::Table>::new();
    table.on_load(move |table| label_cells(&table, headers));
    view! {
        <div class="table-wrap">
            <table node_ref=table data-testid=(!testid.is_empty()).then_some(testid)>
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

/// Gives each body cell a `data-label` naming its column (the actions column stays unlabelled).
fn label_cells(table: &web_sys::HtmlTableElement, headers: &[&str]) {
    let Ok(rows) = table.query_selector_all("tbody > tr") else { return };
    for r in 0..rows.length() {
        let Some(row) = rows.item(r).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) else {
            continue;
        };
        let cells = row.children();
        for (i, heading) in headers.iter().enumerate() {
            if let Some(cell) = cells.item(i as u32) {
                let _ = cell.set_attribute("data-label", heading);
            }
        }
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
    // Only this closure knows the item type; the view around it is compiled once, not per list.
    let shown: Shown = Arc::new(move || {
        list.get().map(|result| {
            result.map(|items| match items.is_empty() && !empty.is_empty() {
                true => None,
                false => Some(render(items).into_any()),
            })
        })
    });
    list_view(shown, empty)
}

/// A list as [`list_view`] shows it: not loaded yet, its failure, empty (`None`), or its rows.
type Shown = Arc<dyn Fn() -> Option<Result<Option<AnyView>, ApiFailure>> + Send + Sync>;

fn list_view(shown: Shown, empty: &'static str) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || shown().map(|result| match result {
                Err(f) => view! { <p class="form-error">{f.message()}</p> }.into_any(),
                Ok(None) => view! { <p class="empty">{empty}</p> }.into_any(),
                Ok(Some(rows)) => rows,
            })}
        </Transition>
    }
}
