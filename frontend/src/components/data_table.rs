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
