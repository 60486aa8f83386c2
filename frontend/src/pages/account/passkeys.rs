//! Passkeys, in the Security card: each with its name, when it was added and last used; Add (the
//! browser makes it), Rename, and Remove with the password.

use crate::api::{self, ApiFailure};
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::PasswordDialog;
use crate::components::field::Field;
use crate::components::modal_form::{form_action, ModalForm};
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
    let naming = RwSignal::new(None::<(Naming, String)>);
    let removing = RwSignal::new(None::<PasskeyResponse>);
    let remove_open = RwSignal::new(false);
    let dialog_error = RwSignal::new(None::<String>);
    let open_naming = move |mode: Naming, current: String| naming.set(Some((mode, current)));
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
            {move || naming.get().map(|(mode, current)| view! { <NameDialog mode current naming list=passkeys/> })}
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

/// Names a new passkey (the browser then makes it, asking for the password first when the last
/// sign-in is old) or renames one.
#[component]
fn NameDialog(
    mode: Naming,
    current: String,
    naming: RwSignal<Option<(Naming, String)>>,
    list: ReloadingList<PasskeyResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let is_new = mode == Naming::New;
    let name = RwSignal::new(current);
    let reauth_open = RwSignal::new(false);
    let reauth_error = RwSignal::new(None::<String>);
    // Whatever went wrong shows under the name.
    let under_name = |f: ApiFailure| match f.field("name") {
        Some(_) => f,
        None => ApiFailure::for_field("name", &f.message()),
    };
    // Sent with no password; again with the one asked for, when the server wants it.
    let save = form_action(move |password: &Option<String>| {
        let (mode, chosen, password) = (mode.clone(), name.get_untracked(), password.clone());
        async move {
            match mode {
                Naming::New => match api::add_passkey(chosen, password).await {
                    Ok(passkey) => {
                        naming.set(None);
                        notices.show(format!(
                            "The passkey \"{}\" is added: it can sign you in without a password.",
                            passkey.name
                        ));
                        list.reload();
                    }
                    Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
                        reauth_error.set(None);
                        reauth_open.set(true);
                    }
                    Err(f) => {
                        reauth_open.set(false);
                        reauth_error.set(f.field("password"));
                        return Err(under_name(f));
                    }
                },
                Naming::Rename(id) => {
                    api::rename_passkey(id, chosen).await.map_err(under_name)?;
                    naming.set(None);
                    notices.show("The passkey is renamed.");
                    list.reload();
                }
            }
            Ok(())
        }
    });

    view! {
        <ModalForm
            title=if is_new { "Add a passkey" } else { "Rename passkey" }
            title_id="passkey-name-title"
            save_label=if is_new { "Add passkey" } else { "Save name" }
            action=save
            on_close=Callback::new(move |()| naming.set(None))
            browser_checks=true
        >
            <Field id="passkey-name" label="Passkey name" value=name errors_for="name" required=true/>
        </ModalForm>
        <PasswordDialog open=reauth_open error=reauth_error on_submit=Callback::new(move |p: String| { save.dispatch(Some(p)); })/>
    }
}
