//! `/account/js-libraries`: the JS Libraries tab.

use crate::api::{self, ApiFailure};
use crate::components::account_shell::AccountShell;
use crate::components::code_editor::CodeEditor;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{ModalFrame, Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{JsLibraryRequest, JsLibraryResponse};
use shared::validate::JS_CODE_MAX_CHARS;

#[component]
pub fn JsLibrariesPage() -> impl IntoView {
    let notices = Notices::get();
    let libraries = ReloadingList::new(api::list_js_libraries);
    let editor_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let saving = RwSignal::new(false);
    let deleting = Removal::<JsLibraryResponse>::default();

    // What the editor opened with, so closing it with changes asks first.
    let opened_with = RwSignal::new((String::new(), String::new(), String::new()));
    let open_editor = move |library: Option<JsLibraryResponse>| {
        editing.set(library.as_ref().map(|l| l.id.clone()));
        name.set(library.as_ref().map(|l| l.name.clone()).unwrap_or_default());
        description.set(library.as_ref().map(|l| l.description.clone()).unwrap_or_default());
        code.set(library.map(|l| l.code).unwrap_or_default());
        opened_with.set((name.get_untracked(), description.get_untracked(), code.get_untracked()));
        failure.set(None);
        editor_open.set(true);
    };
    let close_editor = move || {
        let changed =
            opened_with.get_untracked() != (name.get_untracked(), description.get_untracked(), code.get_untracked());
        let discard =
            !changed || window().confirm_with_message("Discard your unsaved changes to this library?").unwrap_or(false);
        if discard {
            editor_open.set(false);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saving.set(true);
        let request = JsLibraryRequest { name: name.get(), description: description.get(), code: code.get() };
        spawn_local(async move {
            match api::save_js_library(editing.get_untracked(), request).await {
                Ok(_) => {
                    editor_open.set(false);
                    libraries.reload();
                    notices.show("The library is saved.");
                }
                Err(f) => failure.set(Some(f)),
            }
            saving.set(false);
        });
    };
    let remove = move |library: JsLibraryResponse| {
        let detach = !library.deployed_applications.is_empty();
        libraries.remove(notices, api::delete_js_library(library.id, detach), "The library is deleted.");
    };
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));

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
                <ModalFrame labelledby="library-editor-title" wide=true on_close=Callback::new(move |()| close_editor())>
                    <form class="modal wide" on:submit=save novalidate>
                        <h2 id="library-editor-title">{move || if editing.with(Option::is_some) { "Edit JS library" } else { "Add JS library" }}</h2>
                        <Field id="library-name" label="Name" value=name error=field_error("name") required=true/>
                        <Field id="library-description" label="Description" value=description error=field_error("description")/>
                        <CodeEditor id="library-code" label="Code" value=code max_chars=JS_CODE_MAX_CHARS error=field_error("code")/>
                        <p class="form-error" role="alert">{move || failure.get().filter(|f| f.body.fields.is_none()).map(|f| f.message())}</p>
                        <div class="modal-actions">
                            <button type="button" class="button secondary" on:click=move |_| close_editor()>"Cancel"</button>
                            <button type="submit" class="button primary" disabled=move || saving.get()>"Save library"</button>
                        </div>
                    </form>
                </ModalFrame>
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
