//! Admin options: the account's users, with Add User, Edit, password reset, deactivate and delete.

use crate::api::{self, ApiFailure};
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, ModalForm};
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
    let deleting = Removal::<AccountUser>::default();
    let deactivating = Removal::<AccountUser>::default();
    let signing_out = Removal::<AccountUser>::default();
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
    let sign_out = move |user: AccountUser| {
        act(Box::pin(api::sign_user_out_everywhere(user.id)), "The user is signed out everywhere.");
    };
    let remove = move |user: AccountUser| users.remove(notices, api::delete_user(user.id), "The user is deleted.");

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
                                        true => deactivating.ask(for_toggle.clone()),
                                        false => set_active(for_toggle.id.clone(), true),
                                    }>{if u.active { "Deactivate" } else { "Reactivate" }}</button>
                                    {signing_out.button("Sign out everywhere", u.clone())}
                                    {deleting.button("Delete", u.clone())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <Show when=move || editor_open.get()>
                <UserEditor open=editor_open user=editing.get_untracked() list=users/>
            </Show>
            <RemovalDialog
                removal=deactivating
                title="Deactivate this user?"
                message=|u: &AccountUser| format!("{} is signed out at once and cannot sign in until reactivated.", u.name)
                yes_label="Deactivate user"
                on_yes=Callback::new(move |user: AccountUser| set_active(user.id, false))
            />
            <RemovalDialog
                removal=signing_out
                title="Sign this user out everywhere?"
                message=|u: &AccountUser| format!("Every session and API credential of {} ends at once.", u.name)
                yes_label="Sign out everywhere"
                on_yes=Callback::new(sign_out)
            />
            <RemovalDialog
                removal=deleting
                title="Delete this user?"
                message=|u: &AccountUser| format!("{} will lose access at once.", u.name)
                yes_label="Delete user"
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
    let save = form_action(move |(): &()| {
        let id = id.clone();
        let (first_name, last_name, email) =
            (first_name.get_untracked(), last_name.get_untracked(), email.get_untracked());
        let (admin, can_create, can_share) =
            (admin.get_untracked(), can_create.get_untracked(), can_share.get_untracked());
        async move {
            let message = match id {
                None => api::add_user(NewUserRequest { first_name, last_name, email, admin, can_create, can_share })
                    .await
                    .map(|_| "The user is added and has been emailed a link to set a password.")?,
                Some(id) => api::update_user(
                    id,
                    UserUpdate {
                        first_name: Some(first_name),
                        last_name: Some(last_name),
                        email: Some(email),
                        admin: Some(admin),
                        can_create: Some(can_create),
                        can_share: Some(can_share),
                        active: None,
                    },
                )
                .await
                .map(|_| "The user is saved.")?,
            };
            open.set(false);
            list.reload();
            notices.show(message);
            Ok(())
        }
    });
    let check = move |id: &'static str, label: &'static str, value: RwSignal<bool>| {
        view! {
            <label class="choice" for=id>
                <input id=id type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
                {format!(" {label}")}
            </label>
        }
    };

    view! {
        <ModalForm
            title=if is_edit { "Edit user" } else { "Add user" }
            title_id="user-editor-title"
            save_label=if is_edit { "Save user" } else { "Add user" }
            action=save
            on_close=Callback::new(move |()| open.set(false))
        >
            <Field id="user-first-name" label="First name" value=first_name errors_for="first_name" required=true/>
            <Field id="user-last-name" label="Last name" value=last_name errors_for="last_name" required=true/>
            <Field id="user-email" label="Email" kind="email" value=email errors_for="email" required=true/>
            <fieldset class="choices">
                <legend>"Role and permissions"</legend>
                {check("user-admin", "Account admin", admin)}
                {check("user-can-create", "Can create", can_create)}
                {check("user-can-share", "Can share", can_share)}
            </fieldset>
        </ModalForm>
    }
}
