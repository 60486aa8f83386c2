//! Where you are signed in: each session with its browser, address and sign-in method, Revoke per
//! row, and "Sign out everywhere else".

use crate::api;
use crate::components::browser_cell::BrowserCell;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{ConfirmDialog, Removal, RemovalDialog};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::SessionInfo;

#[component]
pub fn Sessions() -> impl IntoView {
    let notices = Notices::get();
    let sessions = ReloadingList::new(api::list_sessions);
    let revoking = Removal::<SessionInfo>::default();
    let confirm_all = RwSignal::new(false);
    let revoke = move |session: SessionInfo| {
        sessions.remove(notices, api::end_session(session.id), "The session is ended: that browser is signed out.");
    };
    let end_others = move |()| {
        spawn_local(async move {
            match api::end_other_sessions().await {
                Ok(()) => notices.show("You are signed out everywhere else."),
                Err(f) => notices.show(f.message()),
            }
            sessions.reload();
        });
    };

    view! {
        <section class="card" aria-labelledby="sessions-title">
            <div class="card-head">
                <h2 id="sessions-title">"Sessions"</h2>
                <button class="button danger-outline" on:click=move |_| confirm_all.set(true)>"Sign out everywhere else"</button>
            </div>
            <p class="help">"Where you are signed in now. Revoke any you do not recognize, then change your password."</p>
            <ListView list=sessions render=move |list| view! {
                <DataTable headers=&["Browser", "Address", "Signed in with", "Signed in", "Last active"] testid="sessions">
                    {list.into_iter().map(|s| {
                        view! {
                            <tr>
                                <BrowserCell browser=s.browser.clone() user_agent=s.user_agent.clone() current=s.current/>
                                <td>{s.ip.clone()}</td>
                                <td>{s.auth_method.label()}</td>
                                <td><Time at=s.created_at/></td>
                                <td><Time at=s.last_active_at/></td>
                                <td>
                                    {(!s.current).then(|| view! {
                                        {revoking.button("Revoke", s.clone())}
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <RemovalDialog
                removal=revoking
                title="Revoke this session?"
                message=|s: &SessionInfo| format!("{} at {} is signed out at once.", s.browser, s.ip)
                yes_label="Revoke session"
                on_yes=Callback::new(revoke)
            />
            <ConfirmDialog
                open=confirm_all
                title="Sign out everywhere else?"
                message="Every other browser signed in as you is signed out at once. This one stays signed in."
                yes_label="Sign out everywhere else"
                danger=true
                on_yes=Callback::new(end_others)
            />
        </section>
    }
}
