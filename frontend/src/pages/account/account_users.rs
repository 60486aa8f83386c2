//! Admin options: the account's users, with Add User, Edit, password reset, deactivate and delete.

use crate::api::{self, ApiFailure};
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{AskButton, ConfirmDialog, ModalFrame};
use crate::components::field::Field;
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{AccountUser, NewUserRequest, UserUpdate};

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

#[component]
pub fn AccountUsers() -> impl IntoView {
    let notices = Notices::get();
    let users = ReloadingList::new(api::list_users);
    let editor_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<AccountUser>);
    let confirm_delete = RwSignal::new(false);
    let deleting = RwSignal::new(None::<AccountUser>);
    let confirm_sign_out = RwSignal::new(false);
    let confirm_deactivate = RwSignal::new(false);
    let deactivating = RwSignal::new(None::<AccountUser>);
    let signing_out = RwSignal::new(None::<AccountUser>);
    let open_editor = move |user: Option<AccountUser>| {
        editing.set(user);
        editor_open.set(true);
    };
    // Runs a change to a user and says how it went.
    let act = move |call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiFailure>>>>,
                    done: &'static str| {
        spawn_local(async move {
            match call.await {
                Ok(()) => notices.show(done),
                Err(f) => notices.show(f.message()),
            }
            users.reload();
        });
    };
    let set_active = move |id: String, active: bool| {
        let request = UserUpdate { active: Some(active), ..Default::default() };
        act(
            Box::pin(async move { api::update_user(id, request).await.map(|_| ()) }),
            if active { "The user is reactivated." } else { "The user is deactivated." },
        )
    };
    let deactivate = move |()| {
        if let Some(user) = deactivating.get_untracked() {
            set_active(user.id, false);
        }
    };
    let sign_out = move |()| {
        let Some(user) = signing_out.get_untracked() else { return };
        act(Box::pin(api::sign_user_out_everywhere(user.id)), "The user is signed out everywhere.");
    };
    let remove = move |()| {
        let Some(user) = deleting.get_untracked() else { return };
        users.remove(notices, api::delete_user(user.id), "The user is deleted.");
    };

    view! {
        <section class="card" aria-labelledby="users-title">
            <div class="card-head">
                <h2 id="users-title">"Users"</h2>
                <button class="button primary" on:click=move |_| open_editor(None)>"Add user"</button>
            </div>
            <ListView list=users render=move |list| view! {
                <DataTable headers=&["Name", "Email", "Admin", "Can create", "Can share", "Two-factor authentication", "Status", "Last sign-in"] testid="users">
                    {list.into_iter().map(|u| {
                        let (for_edit, for_reset, for_toggle) = (u.clone(), u.id.clone(), u.clone());
                        view! {
                            <tr>
                                <td>{u.name.clone()}</td>
                                <td>{u.email.clone()}</td>
                                <td>{yes_no(u.admin)}</td>
                                <td>{yes_no(u.can_create)}</td>
                                <td>{yes_no(u.can_share)}</td>
                                <td>{if u.two_factor { "On" } else { "Off" }}</td>
                                <td>{match (u.active, u.invited) {
                                    (false, _) => "Deactivated",
                                    (true, true) => "Invited",
                                    (true, false) => "Active",
                                }}</td>
                                <td>{u.last_sign_in_at.map(|at| view! { <Time at/> }.into_any()).unwrap_or_else(|| "Never".into_any())}</td>
                                <td class="actions">
                                    <button class="button secondary small" on:click=move |_| open_editor(Some(for_edit.clone()))>"Edit"</button>
                                    <button class="button secondary small" on:click=move |_| act(
                                        Box::pin(api::send_password_reset(for_reset.clone())),
                                        "A password reset link is on its way.",
                                    )>"Send reset"</button>
                                    <button class="button secondary small" on:click=move |_| match for_toggle.active {
                                        // Deactivating signs them out at once: ask first.
                                        true => {
                                            deactivating.set(Some(for_toggle.clone()));
                                            confirm_deactivate.set(true);
                                        }
                                        false => set_active(for_toggle.id.clone(), true),
                                    }>{if u.active { "Deactivate" } else { "Reactivate" }}</button>
                                    <AskButton label="Sign out everywhere" item=u.clone() target=signing_out confirm=confirm_sign_out/>
                                    <AskButton label="Delete" item=u.clone() target=deleting confirm=confirm_delete/>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <Show when=move || editor_open.get()>
                <UserEditor open=editor_open user=editing.get_untracked() list=users/>
            </Show>
            <ConfirmDialog
                open=confirm_deactivate
                title="Deactivate this user?"
                message=Signal::derive(move || {
                    deactivating
                        .get()
                        .map(|u| format!("{} is signed out at once and cannot sign in until reactivated.", u.name))
                        .unwrap_or_default()
                })
                yes_label="Deactivate user"
                danger=true
                on_yes=Callback::new(deactivate)
            />
            <ConfirmDialog
                open=confirm_sign_out
                title="Sign this user out everywhere?"
                message=Signal::derive(move || {
                    signing_out
                        .get()
                        .map(|u| format!("Every session and API credential of {} ends at once.", u.name))
                        .unwrap_or_default()
                })
                yes_label="Sign out everywhere"
                danger=true
                on_yes=Callback::new(sign_out)
            />
            <ConfirmDialog
                open=confirm_delete
                title="Delete this user?"
                message=Signal::derive(move || deleting.get().map(|u| format!("{} will lose access at once.", u.name)).unwrap_or_default())
                yes_label="Delete user"
                danger=true
                on_yes=Callback::new(remove)
            />
        </section>
    }
}

/// Add User (first and last name, email, admin, permissions) or Edit.
#[component]
fn UserEditor(open: RwSignal<bool>, user: Option<AccountUser>, list: ReloadingList<AccountUser>) -> impl IntoView {
    let notices = Notices::get();
    let id = user.as_ref().map(|u| u.id.clone());
    let is_edit = id.is_some();
    let (first, last) = user
        .as_ref()
        .map(|u| u.name.split_once(' ').map_or((u.name.clone(), String::new()), |(f, l)| (f.into(), l.into())))
        .unwrap_or_default();
    let first_name = RwSignal::new(first);
    let last_name = RwSignal::new(last);
    let email = RwSignal::new(user.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    let admin = RwSignal::new(user.as_ref().is_some_and(|u| u.admin));
    let can_create = RwSignal::new(user.as_ref().is_none_or(|u| u.can_create));
    let can_share = RwSignal::new(user.as_ref().is_none_or(|u| u.can_share));
    let failure = RwSignal::new(None::<ApiFailure>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        spawn_local(async move {
            let outcome = match id {
                None => api::add_user(NewUserRequest {
                    first_name: first_name.get_untracked(),
                    last_name: last_name.get_untracked(),
                    email: email.get_untracked(),
                    admin: admin.get_untracked(),
                    can_create: can_create.get_untracked(),
                    can_share: can_share.get_untracked(),
                })
                .await
                .map(|_| "The user is added and has been emailed a link to set a password."),
                Some(id) => api::update_user(
                    id,
                    UserUpdate {
                        first_name: Some(first_name.get_untracked()),
                        last_name: Some(last_name.get_untracked()),
                        email: Some(email.get_untracked()),
                        admin: Some(admin.get_untracked()),
                        can_create: Some(can_create.get_untracked()),
                        can_share: Some(can_share.get_untracked()),
                        active: None,
                    },
                )
                .await
                .map(|_| "The user is saved."),
            };
            match outcome {
                Ok(message) => {
                    open.set(false);
                    list.reload();
                    notices.show(message);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));
    let check = move |id: &'static str, label: &'static str, value: RwSignal<bool>| {
        view! {
            <label class="choice" for=id>
                <input id=id type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
                {format!(" {label}")}
            </label>
        }
    };

    view! {
        <ModalFrame labelledby="user-editor-title" on_close=Callback::new(move |()| { open.set(false); })>
            <form class="modal" on:submit=save novalidate>
                <h2 id="user-editor-title">{if is_edit { "Edit user" } else { "Add user" }}</h2>
                <Field id="user-first-name" label="First name" value=first_name error=field_error("first_name") required=true/>
                <Field id="user-last-name" label="Last name" value=last_name error=field_error("last_name") required=true/>
                <Field id="user-email" label="Email" kind="email" value=email error=field_error("email") required=true/>
                <fieldset class="choices">
                    <legend>"Role and permissions"</legend>
                    {check("user-admin", "Account admin", admin)}
                    {check("user-can-create", "Can create", can_create)}
                    {check("user-can-share", "Can share", can_share)}
                </fieldset>
                <p class="form-error" role="alert">{move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}</p>
                <div class="modal-actions">
                    <button type="button" class="button secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button type="submit" class="button primary">{if is_edit { "Save user" } else { "Add user" }}</button>
                </div>
            </form>
        </ModalFrame>
    }
}
