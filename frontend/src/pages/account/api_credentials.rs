//! API credentials from `POST /api/auth`: a table with Revoke.

use crate::api;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use shared::v1::ApiCredentialResponse;

#[component]
pub fn ApiCredentials() -> impl IntoView {
    let notices = Notices::get();
    let credentials = ReloadingList::new(api::list_api_credentials);
    let revoking = Removal::<ApiCredentialResponse>::default();
    let revoke = move |credential: ApiCredentialResponse| {
        credentials.remove(notices, api::revoke_api_credential(credential.id), "The API credentials are revoked.");
    };

    view! {
        <section class="card" aria-labelledby="api-credentials-title">
            <h2 id="api-credentials-title">"API credentials"</h2>
            <p class="help">
                "Issued by " <code>"POST /api/auth"</code>
                " for HTTP Basic access to the data APIs. Unused credentials lapse after 24 hours; changing your password revokes them all."
            </p>
            <ListView list=credentials empty="No API credentials are in use. Scripts get a pair from POST /api/auth with your email and password or developer key." render=move |list| view! {
                <DataTable headers=&["Tool", "Login", "Created", "Last used"] testid="api-credentials">
                    {list.into_iter().map(|c| {
                        view! {
                            <tr>
                                <td>{c.tool.clone()}</td>
                                <td><code>{format!("{}…", c.login_hint)}</code></td>
                                <td><Time at=c.created_at/></td>
                                <td><Time at=c.last_used_at/></td>
                                <td>
                                    {revoking.button("Revoke", c.clone())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <RemovalDialog
                removal=revoking
                title="Revoke these API credentials?"
                message=|c: &ApiCredentialResponse| format!(
                    "Scripts using the {} credentials {}… will be refused at once.", c.tool, c.login_hint
                )
                yes_label="Revoke credentials"
                on_yes=Callback::new(revoke)
            />
        </section>
    }
}
