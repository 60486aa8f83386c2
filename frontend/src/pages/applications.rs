//! `/account/applications`: applications, the JS libraries their settings use, and their deployments.

use crate::api::{self, ApiFailure};
use crate::components::account_shell::AccountShell;
use crate::components::dialog::ConfirmDialog;
use crate::components::field::Field;
use crate::state::{Notices, ReloadingList, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{
    ApplicationRequest, ApplicationResponse, DeploymentRequest, DeploymentResponse, DeploymentUpdate,
    IntegrationResponse, JsLibraryResponse, OAuthTokenResponse,
};
use std::collections::BTreeMap;

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let notices = Notices::get();
    let applications = ReloadingList::new(api::list_applications);
    let libraries = ReloadingList::new(api::list_js_libraries);
    let integrations = ReloadingList::new(api::list_integrations);
    // Tokens are offered for deployments only when Stripe is enabled for the account.
    let stripe = Session::get().user.with_untracked(|u| u.as_ref().is_some_and(|u| u.account.stripe_enabled));
    let tokens = ReloadingList::new(move || async move {
        match stripe {
            true => api::list_oauth_tokens().await,
            false => Ok(Vec::new()),
        }
    });
    let name = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiFailure>);

    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ApplicationRequest {
            name: name.get(),
            description: String::new(),
            library_ids: Vec::new(),
            integration_ids: None,
        };
        spawn_local(async move {
            match api::save_application(None, request).await {
                Ok(_) => {
                    name.set(String::new());
                    failure.set(None);
                    applications.reload();
                    notices.show("The application is created.");
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };

    view! {
        <AccountShell>
            <section class="card" aria-labelledby="new-application-title">
                <h2 id="new-application-title">"Applications"</h2>
                <form class="inline-form" on:submit=create novalidate>
                    <Field id="application-name" label="New application name" value=name
                        error=Signal::derive(move || failure.get().and_then(|f| f.field("name")))/>
                    <button type="submit" class="button primary">"Create application"</button>
                </form>
            </section>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    // A list that failed to load is said, not taken for an empty one.
                    let mut problems = Vec::new();
                    let all_libraries = loaded(libraries.get(), &mut problems);
                    let all_tokens = loaded(tokens.get(), &mut problems);
                    let all_integrations = loaded(integrations.get(), &mut problems);
                    let problems = (!problems.is_empty()).then(|| view! { <p class="form-error">{problems.join(" ")}</p> });
                    let shown = applications.get().map(|result| match result {
                        Err(f) => view! { <p class="form-error">{f.message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"No applications yet. Name one above to create it, then add its libraries and deploy it."</p>
                        }.into_any(),
                        Ok(list) => list
                            .into_iter()
                            .map(|app| view! {
                                <ApplicationCard app=app libraries=all_libraries.clone() integrations=all_integrations.clone()
                                    tokens=all_tokens.clone() list=applications/>
                            })
                            .collect_view()
                            .into_any(),
                    });
                    view! { {problems} {shown} }
                }}
            </Transition>
        </AccountShell>
    }
}

/// A list the page reads beside the applications: its items, or none with its failure added to `problems`.
fn loaded<T>(result: Option<Result<Vec<T>, ApiFailure>>, problems: &mut Vec<String>) -> Vec<T> {
    match result {
        Some(Err(f)) => {
            problems.push(f.message());
            Vec::new()
        }
        other => other.and_then(Result::ok).unwrap_or_default(),
    }
}

/// Saves an application's name, description and libraries, then reloads the list.
fn save_settings(
    list: ReloadingList<ApplicationResponse>,
    id: String,
    request: ApplicationRequest,
    failure: Option<RwSignal<Option<ApiFailure>>>,
) {
    let notices = Notices::get();
    spawn_local(async move {
        match api::save_application(Some(id), request).await {
            Ok(_) => {
                notices.show("The application's settings are saved.");
                list.reload();
            }
            Err(f) => match failure {
                Some(failure) => failure.set(Some(f)),
                None => {
                    notices.show(f.message());
                    list.reload();
                }
            },
        }
    });
}

/// One application: its details, its settings (libraries used, in order) and its deployments.
#[component]
fn ApplicationCard(
    app: ApplicationResponse,
    libraries: Vec<JsLibraryResponse>,
    integrations: Vec<IntegrationResponse>,
    tokens: Vec<OAuthTokenResponse>,
    list: ReloadingList<ApplicationResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let label = RwSignal::new(String::new());
    let editing = RwSignal::new(false);
    let confirm_delete = RwSignal::new(false);
    let name = RwSignal::new(app.name.clone());
    let description = RwSignal::new(app.description.clone());
    let failure = RwSignal::new(None::<ApiFailure>);
    let (app_id, app_name) = (app.id.clone(), app.name.clone());
    // Checking or unchecking a library or an integration saves the application's settings at once.
    let set_library = {
        let app = app.clone();
        Callback::new(move |(id, on): (String, bool)| {
            let request = ApplicationRequest {
                name: app.name.clone(),
                description: app.description.clone(),
                library_ids: toggled(&app.library_ids, id, on),
                integration_ids: None,
            };
            save_settings(list, app.id.clone(), request, None);
        })
    };
    let set_integration = {
        let app = app.clone();
        Callback::new(move |(id, on): (String, bool)| {
            let request = ApplicationRequest {
                name: app.name.clone(),
                description: app.description.clone(),
                library_ids: app.library_ids.clone(),
                integration_ids: Some(toggled(&app.integration_ids, id, on)),
            };
            save_settings(list, app.id.clone(), request, None);
        })
    };
    let save_details = {
        let app = app.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let request = ApplicationRequest {
                name: name.get(),
                description: description.get(),
                library_ids: app.library_ids.clone(),
                integration_ids: None,
            };
            save_settings(list, app.id.clone(), request, Some(failure));
        }
    };
    let deploy = {
        let app_id = app_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let request =
                DeploymentRequest { application_id: app_id.clone(), label: label.get(), variables: BTreeMap::new() };
            spawn_local(async move {
                match api::create_deployment(request).await {
                    Ok(_) => notices.show("The deployment is added."),
                    Err(f) => notices.show(f.field("label").unwrap_or_else(|| f.message())),
                }
                list.reload();
            });
        }
    };
    let remove = {
        let id = app_id.clone();
        move |()| list.remove(notices, api::delete_application(id.clone()), "The application is deleted.")
    };
    let heading_id = format!("application-{app_id}");
    let (name_id, description_id) = (format!("{app_id}-name"), format!("{app_id}-description"));
    let field_error = move |field: &'static str| Signal::derive(move || failure.get().and_then(|f| f.field(field)));

    view! {
        <section class="card application" aria-labelledby=heading_id.clone() data-testid="application">
            <div class="card-head">
                <h2 id=heading_id.clone()>{app_name.clone()}</h2>
                <div class="actions">
                    <button class="button secondary small" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                    <button class="button danger-outline small" on:click=move |_| confirm_delete.set(true)>"Delete application"</button>
                </div>
            </div>
            <Show when=move || editing.get() fallback={
                let description = app.description.clone();
                move || view! { <p class="help">{description.clone()}</p> }
            }>
                <form on:submit=save_details.clone() novalidate>
                    <Field id=name_id.clone() label="Name" value=name error=field_error("name") required=true/>
                    <Field id=description_id.clone() label="Description" value=description error=field_error("description")/>
                    <button type="submit" class="button primary">"Save application"</button>
                </form>
            </Show>
            <Choices legend="JS libraries this application uses" chosen=app.library_ids.clone() on_toggle=set_library
                options=libraries.into_iter().map(|l| (l.id, l.name)).collect()/>
            {(!integrations.is_empty()).then(|| view! {
                <Choices legend="Integrations this application uses" chosen=app.integration_ids.clone() on_toggle=set_integration
                    options=integrations.into_iter().map(|i| (i.id, format!("{} ({})", i.name, i.kind.label()))).collect()/>
            })}
            <h3>"Deployments"</h3>
            {app.deployments.is_empty().then(|| view! {
                <p class="empty">"Not deployed yet. Give a deployment a label below to run this application."</p>
            })}
            <ul class="deployments">
                {app.deployments.into_iter().map(|deployment| view! { <DeploymentItem deployment tokens=tokens.clone() list/> }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=deploy novalidate>
                <Field id=format!("deploy-{app_id}") label="Deployment label (e.g. Production)" value=label/>
                <button type="submit" class="button secondary">"Add deployment"</button>
            </form>
            <ConfirmDialog
                open=confirm_delete
                title="Delete this application?"
                message=format!("{app_name} and its deployments will be removed.")
                yes_label="Delete application"
                danger=true
                on_yes=Callback::new(remove)
            />
        </section>
    }
}

/// One deployment: its label and variables, editable in place.
#[component]
fn DeploymentItem(
    deployment: DeploymentResponse,
    tokens: Vec<OAuthTokenResponse>,
    list: ReloadingList<ApplicationResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let editing = RwSignal::new(false);
    let label = RwSignal::new(deployment.label.clone());
    let variables = RwSignal::new(variables_to_text(&deployment.variables));
    let oauth_token_id = RwSignal::new(deployment.oauth_token_id.clone());
    let token_name = deployment
        .oauth_token_id
        .as_ref()
        .and_then(|id| tokens.iter().find(|t| &t.id == id))
        .map(|t| format!(" · token: {}", t.description));
    let problem = RwSignal::new(None::<String>);
    let id = deployment.id.clone();
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let parsed = match variables_from_text(&variables.get()) {
                Ok(parsed) => parsed,
                Err(p) => return problem.set(Some(p)),
            };
            let (id, request) = (
                id.clone(),
                DeploymentUpdate {
                    label: label.get(),
                    variables: parsed,
                    oauth_token_id: oauth_token_id.get_untracked(),
                },
            );
            spawn_local(async move {
                match api::update_deployment(id, request).await {
                    Ok(_) => {
                        notices.show("The deployment is saved.");
                        list.reload();
                    }
                    Err(f) => problem
                        .set(Some(f.field("label").or_else(|| f.field("variables")).unwrap_or_else(|| f.message()))),
                }
            });
        }
    };
    let summary = deployment.variables.keys().cloned().collect::<Vec<_>>().join(", ");
    let variables_id = format!("{id}-variables");

    view! {
        <li data-testid="deployment">
            <strong>{deployment.label.clone()}</strong>
            {(!summary.is_empty()).then(|| format!(" (variables: {summary})"))}
            {token_name}
            " "
            <button class="link-button" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
            " "
            <button class="link-button" on:click={
                let id = id.clone();
                move |_| list.remove(notices, api::delete_deployment(id.clone()), "The deployment is removed.")
            }>"Remove"</button>
            <Show when=move || editing.get()>
                <form class="deployment-form" on:submit=save.clone() novalidate>
                    <Field id=format!("{id}-label") label="Label" value=label/>
                    <div class="field">
                        <label for=variables_id.clone()>"Variables (one NAME=value a line)"</label>
                        <textarea id=variables_id.clone() class="code-editor plain" rows="4" spellcheck="false"
                            prop:value=move || variables.get()
                            on:input=move |ev| variables.set(event_target_value(&ev))></textarea>
                    </div>
                    {(!tokens.is_empty()).then(|| {
                        let token_select_id = format!("{id}-token");
                        view! {
                            <div class="field">
                                <label for=token_select_id.clone()>"OAuth token"</label>
                                <select id=token_select_id on:change=move |ev| {
                                    let chosen = event_target_value(&ev);
                                    oauth_token_id.set((!chosen.is_empty()).then_some(chosen));
                                }>
                                    <option value="" selected=move || oauth_token_id.with(Option::is_none)>"None"</option>
                                    {tokens.iter().map(|t| {
                                        let token_id = t.id.clone();
                                        let value = t.id.clone();
                                        view! {
                                            <option value=value selected=move || oauth_token_id.with(|c| c.as_deref() == Some(token_id.as_str()))>
                                                {format!("{} ({})", t.description, t.token_type.label())}
                                            </option>
                                        }
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    })}
                    <p class="form-error" role="alert">{move || problem.get()}</p>
                    <button type="submit" class="button secondary small">"Save deployment"</button>
                </form>
            </Show>
        </li>
    }
}

/// `ids` with `id` added at the end (kept in the order chosen) or taken out.
fn toggled(ids: &[String], id: String, on: bool) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().filter(|i| **i != id).cloned().collect();
    if on {
        ids.push(id);
    }
    ids
}

/// Checkboxes for the things an application's settings use; each change is reported at once.
#[component]
fn Choices(
    legend: &'static str,
    /// (id, label) of each thing that can be chosen.
    options: Vec<(String, String)>,
    chosen: Vec<String>,
    on_toggle: Callback<(String, bool)>,
) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>{legend}</legend>
            {options.into_iter().map(|(id, label)| {
                let checked = chosen.contains(&id);
                view! {
                    <label class="choice">
                        <input type="checkbox" checked=checked on:change=move |ev| on_toggle.run((id.clone(), event_target_checked(&ev)))/>
                        {format!(" {label}")}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn variables_to_text(variables: &BTreeMap<String, String>) -> String {
    variables.iter().map(|(name, value)| format!("{name}={value}\n")).collect()
}

/// Reads `NAME=value` lines; blank lines are skipped.
fn variables_from_text(text: &str) -> Result<BTreeMap<String, String>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| match line.split_once('=') {
            Some((name, value)) => Ok((name.trim().to_string(), value.to_string())),
            None => Err(format!("Line {}: write it as NAME=value", n + 1)),
        })
        .collect()
}
