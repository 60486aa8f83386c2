//! `/account/oauth-tokens`: Stripe tokens (accounts with Stripe enabled). Adding one leaves for Stripe's
//! authorize page; Stripe's redirect brings the browser back here with `added` or `error`.

use crate::api;
use crate::components::account_shell::AccountShell;
use crate::components::copy_button::CopyButton;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, FormErrors, ModalForm};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::v1::{OAuthTokenRequest, OAuthTokenResponse, OAuthTokenUpdate, TokenType};

#[component]
pub fn OAuthTokensPage() -> impl IntoView {
    let notices = Notices::get();
    let tokens = ReloadingList::new(api::list_oauth_tokens);
    let query = use_query_map();
    let returned_error = move || query.with(|q| q.get("error"));
    if query.with_untracked(|q| q.get("added").is_some()) {
        notices.show("The token is added.");
    }
    let editor_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<OAuthTokenResponse>);
    let deleting = Removal::<OAuthTokenResponse>::default();
    // Stripe could not be told: the token with Stripe's answer, asked whether to remove it here only.
    let removing_here = Removal::<(OAuthTokenResponse, String)>::default();
    let remove = move |token: OAuthTokenResponse, local_only: bool| {
        spawn_local(async move {
            match api::delete_oauth_token(token.id.clone(), local_only).await {
                Ok(()) => notices.show("The token is deleted."),
                Err(f) if f.body.code == shared::ErrorCode::DeauthorizationFailed => {
                    removing_here.ask((token, f.message()));
                }
                Err(f) => notices.show(f.message()),
            }
            tokens.reload();
        });
    };
    let open_editor = move |token: Option<OAuthTokenResponse>| {
        editing.set(token);
        editor_open.set(true);
    };

    view! {
        <AccountShell>
            <section class="card" aria-labelledby="oauth-tokens-title">
                <div class="card-head">
                    <h2 id="oauth-tokens-title">"OAuth tokens"</h2>
                    <button class="button primary" on:click=move |_| open_editor(None)>"Add token"</button>
                </div>
                {move || returned_error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                <ListView list=tokens empty="No OAuth tokens yet. Add one to connect a Stripe account to your applications." render=move |list| view! {
                    <DataTable headers=&["Provider", "Type", "Description", "Stripe account", "Assigned to", "Added"] testid="oauth-tokens">
                        {list.into_iter().map(|t| {
                            let for_edit = t.clone();
                            let assigned = t.assigned_to.iter()
                                .map(|a| format!("{} ({})", a.application_name, a.deployment_label))
                                .collect::<Vec<_>>().join(", ");
                            view! {
                                <tr>
                                    <td>"Stripe"</td>
                                    <td>{t.token_type.label()}</td>
                                    <td class="wrap">{t.description.clone()}</td>
                                    <td>
                                        <code>{t.stripe_account_id.clone()}</code>
                                        " " <CopyButton text=t.stripe_account_id.clone() label="Copy Stripe account id" small=true/>
                                    </td>
                                    <td class="wrap">{assigned}</td>
                                    <td><Time at=t.created_at/></td>
                                    <td class="actions">
                                        <button class="button secondary small" on:click=move |_| open_editor(Some(for_edit.clone()))>"Edit"</button>
                                        {deleting.button("Delete", t.clone())}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }/>
            </section>
            <Show when=move || editor_open.get()>
                <TokenEditor open=editor_open token=editing.get_untracked() list=tokens/>
            </Show>
            <RemovalDialog
                removal=deleting
                title="Delete this token?"
                message=|_: &OAuthTokenResponse| "Keydesk's access is revoked at Stripe, and deployments using the token lose it.".into()
                yes_label="Delete token"
                on_yes=Callback::new(move |token: OAuthTokenResponse| remove(token, false))
            />
            <RemovalDialog
                removal=removing_here
                title="Remove it here anyway?"
                message=|(_, problem): &(OAuthTokenResponse, String)| problem.clone()
                yes_label="Remove here only"
                on_yes=Callback::new(move |(token, _): (OAuthTokenResponse, String)| remove(token, true))
            />
        </AccountShell>
    }
}

/// Add Token (provider, type, description; then off to Stripe) or Edit (description, type).
#[component]
fn TokenEditor(
    open: RwSignal<bool>,
    token: Option<OAuthTokenResponse>,
    list: ReloadingList<OAuthTokenResponse>,
) -> impl IntoView {
    let notices = Notices::get();
    let id = token.as_ref().map(|t| t.id.clone());
    let is_edit = id.is_some();
    let description = RwSignal::new(token.as_ref().map(|t| t.description.clone()).unwrap_or_default());
    let token_type = RwSignal::new(token.as_ref().map(|t| t.token_type).unwrap_or(TokenType::Test));
    let submit = form_action(move |(): &()| {
        let id = id.clone();
        let (description, token_type) = (description.get_untracked(), token_type.get_untracked());
        async move {
            let authorize_url = match id {
                None => {
                    let request = OAuthTokenRequest { provider: "stripe".into(), token_type, description };
                    api::start_oauth_token(request).await.map(|started| Some(started.authorize_url))?
                }
                Some(id) => {
                    let request = OAuthTokenUpdate { description: Some(description), token_type: Some(token_type) };
                    api::update_oauth_token(id, request).await.map(|saved| saved.authorize_url)?
                }
            };
            match authorize_url {
                Some(url) => api::go_to(&url),
                None => {
                    open.set(false);
                    list.reload();
                    notices.show("The token is saved.");
                }
            }
            Ok(())
        }
    });
    let type_error = FormErrors::of(submit).field("token_type");

    view! {
        <ModalForm
            title=if is_edit { "Edit token" } else { "Add token" }
            title_id="token-editor-title"
            save_label=if is_edit { "Save" } else { "Continue to Stripe" }
            action=submit
            on_close=Callback::new(move |()| open.set(false))
        >
            <div class="field">
                <label for="token-provider">"Select token provider"</label>
                <select id="token-provider" disabled=is_edit><option value="stripe" selected=true>"Stripe"</option></select>
            </div>
            <div class="field" class:has-error=move || type_error.with(Option::is_some)>
                <label for="token-type">"Select token type"</label>
                <select id="token-type" on:change=move |ev| {
                    token_type.set(TokenType::parse(&event_target_value(&ev)).unwrap_or(TokenType::Test))
                }>
                    {[TokenType::Test, TokenType::Live].into_iter().map(|t| view! {
                        <option value=t.as_str() selected=move || token_type.get() == t>{t.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{move || type_error.get()}</p>
                {is_edit.then(|| view! { <p class="meta">"Changing the type authorizes the token again on Stripe."</p> })}
            </div>
            <Field id="token-description" label="Token description" value=description errors_for="description"/>
        </ModalForm>
    }
}
