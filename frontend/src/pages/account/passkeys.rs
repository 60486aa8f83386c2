//! Passkeys, in the Security card: each with its name, when it was added and last used; Add (the
//! browser makes it), Rename, and Remove with the password.

use crate::api::{self, ApiFailure};
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{ModalFrame, PasswordDialog};
use crate::components::field::Field;
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::PasskeyResponse;

/// What the name dialog is for: a new passkey, or renaming one.
#[derive(Clone, PartialEq)]
enum Naming {
    New,
    Rename(String),
}

#[component]
pub fn Passkeys() -> impl IntoView {
    let notices = Notices::get();
    let passkeys = ReloadingList::new(api::list_passkeys);
    let naming = RwSignal::new(None::<Naming>);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let reauth_open = RwSignal::new(false);
    let removing = RwSignal::new(None::<PasskeyResponse>);
    let remove_open = RwSignal::new(false);
    let dialog_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let added = move |outcome: Result<PasskeyResponse, ApiFailure>| match outcome {
        Ok(passkey) => {
            naming.set(None);
            reauth_open.set(false);
            notices.show(format!("The passkey \"{}\" is added: it can sign you in without a password.", passkey.name));
            passkeys.reload();
        }
        Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
            dialog_error.set(None);
            reauth_open.set(true);
        }
        Err(f) => {
            reauth_open.set(false);
            dialog_error.set(f.field("password"));
            name_error.set(Some(f.field("name").unwrap_or_else(|| f.message())));
        }
    };
    let add = move |password: Option<String>| {
        busy.set(true);
        let chosen = name.get_untracked();
        spawn_local(async move {
            added(api::add_passkey(chosen, password).await);
            busy.set(false);
        });
    };
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        name_error.set(None);
        match naming.get_untracked() {
            Some(Naming::New) => add(None),
            Some(Naming::Rename(id)) => spawn_local(async move {
                match api::rename_passkey(id, name.get_untracked()).await {
                    Ok(_) => {
                        naming.set(None);
                        notices.show("The passkey is renamed.");
                        passkeys.reload();
                    }
                    Err(f) => name_error.set(Some(f.field("name").unwrap_or_else(|| f.message()))),
                }
            }),
            None => {}
        }
    };
    let open_naming = move |mode: Naming, current: String| {
        name.set(current);
        name_error.set(None);
        naming.set(Some(mode));
    };
    let remove = Callback::new(move |password: String| {
        let Some(passkey) = removing.get_untracked() else { return };
        spawn_local(async move {
            match api::delete_passkey(passkey.id, Some(password)).await {
                Ok(()) => {
                    remove_open.set(false);
                    notices.show(format!("The passkey \"{}\" is removed.", passkey.name));
                    passkeys.reload();
                }
                Err(f) => dialog_error.set(Some(f.field("password").unwrap_or_else(|| f.message()))),
            }
        });
    });

    view! {
        <div class="subsection" aria-labelledby="passkeys-title">
            <div class="card-head">
                <h3 id="passkeys-title">"Passkeys"</h3>
                <button class="button secondary" on:click=move |_| open_naming(Naming::New, "Passkey".into())>
                    "Add a passkey"
                </button>
            </div>
            <p class="help">
                "A passkey signs you in with your device's lock (fingerprint, face or PIN) instead of your password, "
                "and answers the two-factor step when it is on."
            </p>
            <ListView list=passkeys render=move |list| view! {
                <DataTable headers=&["Name", "Added", "Last used"] testid="passkeys">
                    {list.into_iter().map(|p| {
                        let (for_rename, for_remove) = (p.clone(), p.clone());
                        view! {
                            <tr>
                                <td>{p.name.clone()}</td>
                                <td><Time at=p.created_at/></td>
                                <td>{p.last_used_at.map(|at| view! { <Time at/> }.into_any()).unwrap_or_else(|| "Never".into_any())}</td>
                                <td class="actions">
                                    <button class="button secondary small" on:click=move |_| {
                                        open_naming(Naming::Rename(for_rename.id.clone()), for_rename.name.clone())
                                    }>"Rename"</button>
                                    <button class="button danger-outline small" on:click=move |_| {
                                        dialog_error.set(None);
                                        removing.set(Some(for_remove.clone()));
                                        remove_open.set(true);
                                    }>"Remove"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <Show when=move || naming.with(Option::is_some)>
                <ModalFrame labelledby="passkey-name-title" on_close=Callback::new(move |()| { naming.set(None); })>
                    <form class="modal" on:submit=save_name>
                        <h2 id="passkey-name-title">
                            {move || if naming.get() == Some(Naming::New) { "Add a passkey" } else { "Rename passkey" }}
                        </h2>
                        <Field id="passkey-name" label="Passkey name" value=name error=name_error required=true/>
                        <div class="modal-actions">
                            <button type="button" class="button secondary" on:click=move |_| naming.set(None)>"Cancel"</button>
                            <button type="submit" class="button primary" disabled=move || busy.get()>
                                {move || if naming.get() == Some(Naming::New) { "Add passkey" } else { "Save name" }}
                            </button>
                        </div>
                    </form>
                </ModalFrame>
            </Show>
            <PasswordDialog open=reauth_open error=dialog_error on_submit=Callback::new(move |p| add(Some(p)))/>
            <PasswordDialog
                open=remove_open
                error=dialog_error
                on_submit=remove
                title="Remove this passkey?"
                message="It will no longer sign you in. Enter your password to confirm."
                submit_label="Remove passkey"
                danger=true
            />
        </div>
    }
}
