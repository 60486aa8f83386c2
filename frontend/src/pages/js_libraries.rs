//! `/account/js-libraries`: the JS Libraries tab.

use crate::api;
use crate::components::account_shell::AccountShell;
use crate::components::code_editor::CodeEditor;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, ModalForm, Unsaved};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use shared::v1::{JsLibraryRequest, JsLibraryResponse};
use shared::validate::JS_CODE_MAX_CHARS;

#[component]
pub fn JsLibrariesPage() -> impl IntoView {
    let notices = Notices::get();
    let libraries = ReloadingList::new(api::list_js_libraries);
    let editor_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<JsLibraryResponse>);
    let deleting = Removal::<JsLibraryResponse>::default();
    let open_editor = move |library: Option<JsLibraryResponse>| {
        editing.set(library);
        editor_open.set(true);
    };
    let remove = move |library: JsLibraryResponse| {
        let detach = !library.deployed_applications.is_empty();
        libraries.remove(notices, api::delete_js_library(library.id, detach), "The library is deleted.");
    };

    view! {
        <AccountShell>
            <section class="card" aria-labelledby="js-libraries-title">
                <div class="card-head">
                    <h2 id="js-libraries-title">"JS libraries"</h2>
                    <button class="button primary" on:click=move |_| open_editor(None)>"Add JS library"</button>
                </div>
                <p class="help">"Common JavaScript functions your applications can include. Third-party libraries will not work on the voice platform."</p>
                <ListView list=libraries empty="No JS libraries yet. Add one to share JavaScript between your applications." render=move |list| view! {
                    <DataTable headers=&["Name", "Description", "Deployed applications", "Last changed"] testid="js-libraries">
                        {list.into_iter().map(|library| {
                            let (for_edit, for_delete) = (library.clone(), library.clone());
                            let deployed = library.deployed_applications.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
                            view! {
                                <tr>
                                    <td>{library.name.clone()}</td>
                                    <td class="wrap">{library.description.clone()}</td>
                                    <td class="wrap">{deployed}</td>
                                    <td><Time at=library.updated_at/></td>
                                    <td class="actions">
                                        <button class="button secondary small" on:click=move |_| open_editor(Some(for_edit.clone()))>"Edit"</button>
                                        {deleting.button("Delete", for_delete.clone())}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }/>
            </section>
            <Show when=move || editor_open.get()>
                <LibraryEditor open=editor_open library=editing.get_untracked() list=libraries/>
            </Show>
            <RemovalDialog
                removal=deleting
                title="Delete this JS library?"
                message=|l: &JsLibraryResponse| match l.deployed_applications.is_empty() {
                    false => format!(
                        "Deployed applications use this library: {}. Deleting it detaches it from them, and they may stop working.",
                        l.deployed_applications.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")
                    ),
                    true => format!("{} will be removed.", l.name),
                }
                yes_label="Delete library"
                on_yes=Callback::new(remove)
            />
        </AccountShell>
    }
}

/// Add or edit a library: name, description and code. Closing it with unsaved changes asks first.
#[component]
fn LibraryEditor(
    open: RwSignal<bool>,
    library: Option<JsLibraryResponse>,
    list: ReloadingList<JsLibraryResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let id = library.as_ref().map(|l| l.id.clone());
    let is_edit = id.is_some();
    let (first_name, first_description, first_code) =
        library.map(|l| (l.name, l.description, l.code)).unwrap_or_default();
    let name = RwSignal::new(first_name.clone());
    let description = RwSignal::new(first_description.clone());
    let code = RwSignal::new(first_code.clone());
    let changed = Signal::derive(move || {
        name.with(|n| *n != first_name)
            || description.with(|d| *d != first_description)
            || code.with(|c| *c != first_code)
    });
    let save = form_action(move |(): &()| {
        let (id, request) = (
            id.clone(),
            JsLibraryRequest {
                name: name.get_untracked(),
                description: description.get_untracked(),
                code: code.get_untracked(),
            },
        );
        async move {
            api::save_js_library(id, request).await?;
            open.set(false);
            list.reload();
            notices.show("The library is saved.");
            Ok(())
        }
    });

    view! {
        <ModalForm
            title=if is_edit { "Edit JS library" } else { "Add JS library" }
            title_id="library-editor-title"
            save_label="Save library"
            action=save
            on_close=Callback::new(move |()| open.set(false))
            unsaved=Unsaved { question: "Discard your unsaved changes to this library?", changed }
            wide=true
        >
            <Field id="library-name" label="Name" value=name errors_for="name" required=true/>
            <Field id="library-description" label="Description" value=description errors_for="description"/>
            <CodeEditor id="library-code" label="Code" value=code max_chars=JS_CODE_MAX_CHARS errors_for="code"/>
        </ModalForm>
    }
}
