//! `/account/integrations`: everyone sees the account's integrations; admins add, edit and delete them.
//! The form is built from each type's fields in `shared`; secret fields are write-only.

use crate::api;
use crate::components::account_shell::AccountShell;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, FormErrors, ModalForm};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList, Session};
use leptos::prelude::*;
use shared::v1::{IntegrationRequest, IntegrationResponse, IntegrationType, Role};
use std::collections::BTreeMap;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let notices = Notices::get();
    let is_admin = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin));
    let integrations = ReloadingList::new(api::list_integrations);
    let editor_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<IntegrationResponse>);
    let deleting = Removal::<IntegrationResponse>::default();
    let remove = move |integration: IntegrationResponse| {
        integrations.remove(notices, api::delete_integration(integration.id), "The integration is deleted.");
    };
    let open_editor = move |integration: Option<IntegrationResponse>| {
        editing.set(integration);
        editor_open.set(true);
    };

    view! {
        <AccountShell>
            <section class="card" aria-labelledby="integrations-title">
                <div class="card-head">
                    <h2 id="integrations-title">"Integrations"</h2>
                    {is_admin.then(|| view! {
                        <button class="button primary" on:click=move |_| open_editor(None)>"Add integration"</button>
                    })}
                </div>
                {(!is_admin).then(|| view! { <p class="help">"Only account admins can add, edit or delete integrations."</p> })}
                <ListView list=integrations empty="No integrations yet. Admins add them to connect outside services to your applications." render=move |list| view! {
                    <DataTable headers=&["Name", "Type", "Used by", "Added by", "Added"] testid="integrations">
                        {list.into_iter().map(|i| {
                            let for_edit = i.clone();
                            let used_by = i.used_by.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
                            view! {
                                <tr>
                                    <td>{i.name.clone()}</td>
                                    <td>{i.kind.label()}</td>
                                    <td class="wrap">{used_by}</td>
                                    <td>{i.created_by.clone().unwrap_or_default()}</td>
                                    <td><Time at=i.created_at/></td>
                                    <td class="actions">
                                        {is_admin.then(|| view! {
                                            <button class="button secondary small" on:click=move |_| open_editor(Some(for_edit.clone()))>"Edit"</button>
                                            {deleting.button("Delete", i.clone())}
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }/>
            </section>
            <Show when=move || editor_open.get()>
                <IntegrationEditor open=editor_open integration=editing.get_untracked() list=integrations/>
            </Show>
            <RemovalDialog
                removal=deleting
                title="Delete this integration?"
                message=|i: &IntegrationResponse| format!("{} will be removed, and applications using it will no longer have it.", i.name)
                yes_label="Delete integration"
                on_yes=Callback::new(remove)
            />
        </AccountShell>
    }
}

/// Add or edit: name, type, and the type's fields. Secret fields start empty; left empty on edit, they keep
/// their stored value.
#[component]
fn IntegrationEditor(
    open: RwSignal<bool>,
    integration: Option<IntegrationResponse>,
    list: ReloadingList<IntegrationResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let id = integration.as_ref().map(|i| i.id.clone());
    let is_edit = id.is_some();
    let name = RwSignal::new(integration.as_ref().map(|i| i.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(integration.as_ref().map(|i| i.kind).unwrap_or(IntegrationType::AwsS3));
    let values = RwSignal::new(integration.as_ref().map(|i| i.config.clone()).unwrap_or_default());
    let save = form_action(move |(): &()| {
        let request = IntegrationRequest {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            config: values.get_untracked().into_iter().map(|(field, value)| (field, value.into())).collect(),
        };
        let id = id.clone();
        async move {
            api::save_integration(id, request).await?;
            open.set(false);
            list.reload();
            notices.show("The integration is saved.");
            Ok(())
        }
    });
    let errors = FormErrors::of(save);

    view! {
        <ModalForm
            title=if is_edit { "Edit integration" } else { "Add integration" }
            title_id="integration-editor-title"
            save_label="Save integration"
            action=save
            on_close=Callback::new(move |()| open.set(false))
            wide=true
        >
            <Field id="integration-name" label="Name" value=name errors_for="name" required=true/>
            <div class="field">
                <label for="integration-type">"Type"</label>
                <select id="integration-type" on:change=move |ev| {
                    if let Some(t) = IntegrationType::parse(&event_target_value(&ev)) {
                        kind.set(t);
                        values.set(BTreeMap::new());
                    }
                }>
                    {IntegrationType::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=move || kind.get() == t>{t.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || kind.get().fields().iter().map(|f| {
                let input_id = format!("integration-{}", f.name);
                let error = errors.field(format!("config.{}", f.name));
                let field_name = f.name;
                let hint = (f.secret && is_edit).then_some("Set; leave empty to keep it");
                view! {
                    <div class="field" class:has-error=move || error.with(Option::is_some)>
                        <label for=input_id.clone()>{f.label}</label>
                        {if f.name == "service_account_json" {
                            view! {
                                <textarea id=input_id.clone() class="code-editor plain" rows="5" spellcheck="false" placeholder=hint
                                    on:input=move |ev| values.update(|v| { v.insert(field_name.into(), event_target_value(&ev)); })></textarea>
                            }.into_any()
                        } else {
                            view! {
                                <input id=input_id.clone() type=if f.secret { "password" } else { "text" } autocomplete="off" placeholder=hint
                                    prop:value=move || values.with(|v| v.get(field_name).cloned().unwrap_or_default())
                                    on:input=move |ev| values.update(|v| { v.insert(field_name.into(), event_target_value(&ev)); })/>
                            }.into_any()
                        }}
                        <p class="field-error" role="alert">{move || error.get()}</p>
                    </div>
                }
            }).collect_view()}
        </ModalForm>
    }
}
