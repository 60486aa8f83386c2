//! `/account/certificates`: client-side certificates, presented on outbound requests to their domain.

use crate::api::{self, ApiFailure};
use crate::components::account_shell::AccountShell;
use crate::components::copy_button::CopyButton;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{ModalFrame, Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, FormErrors, ModalForm};
use crate::components::time::Time;
use crate::state::{format_time, Notices, ReloadingList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{CertificateResponse, CertificateStatus, CertificateTestResponse};
use wasm_bindgen::JsCast;

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let notices = Notices::get();
    let certificates = ReloadingList::new(api::list_certificates);
    let adding = RwSignal::new(false);
    let deleting = Removal::<CertificateResponse>::default();
    let testing = RwSignal::new(None::<CertificateResponse>);
    let remove = move |certificate: CertificateResponse| {
        certificates.remove(notices, api::delete_certificate(certificate.id), "The certificate is deleted.");
    };

    view! {
        <AccountShell>
            <section class="card" aria-labelledby="certificates-title">
                <div class="card-head">
                    <h2 id="certificates-title">"Client-side certificates"</h2>
                    <button class="button primary" on:click=move |_| adding.set(true)>"Add certificate"</button>
                </div>
                <p class="help">"When an application's REST or SOAP request goes to a domain below, the server is shown that domain's certificate."</p>
                <ListView list=certificates empty="No certificates yet. Add one so REST and SOAP requests to its domain present it." render=move |list| view! {
                    <DataTable headers=&["Domain", "Subject", "Issuer", "Valid from", "Valid until", "SHA-256 fingerprint", "Added"] testid="certificates">
                        {list.into_iter().map(|c| {
                            let (for_test, for_delete) = (c.clone(), c.clone());
                            let added = match &c.created_by {
                                Some(name) => format!("{} by {name}", format_time(c.created_at)),
                                None => format_time(c.created_at),
                            };
                            view! {
                                <tr>
                                    <td>{c.domain.clone()}</td>
                                    <td class="wrap">{c.subject.clone()}</td>
                                    <td class="wrap">{c.issuer.clone()}</td>
                                    <td><Time at=c.not_before/></td>
                                    <td><Time at=c.not_after/> " " <StatusBadge status=c.status/></td>
                                    <td class="fingerprint">
                                        <code title=c.fingerprint_sha256.clone()>{c.fingerprint_sha256.clone()}</code>
                                        " " <CopyButton text=c.fingerprint_sha256.clone() label="Copy fingerprint" small=true/>
                                    </td>
                                    <td>{added}</td>
                                    <td class="actions">
                                        <button class="button secondary small" on:click=move |_| testing.set(Some(for_test.clone()))>"Test"</button>
                                        {deleting.button("Delete", for_delete.clone())}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }/>
            </section>
            <Show when=move || adding.get()>
                <AddCertificate open=adding list=certificates/>
            </Show>
            {move || testing.get().map(|certificate| view! { <TestCertificate certificate testing/> })}
            <RemovalDialog
                removal=deleting
                title="Delete this certificate?"
                message=|c: &CertificateResponse| format!("Requests to {} will no longer present a client certificate.", c.domain)
                yes_label="Delete certificate"
                on_yes=Callback::new(remove)
            />
        </AccountShell>
    }
}

#[component]
fn StatusBadge(status: CertificateStatus) -> impl IntoView {
    match status {
        CertificateStatus::Valid => None,
        CertificateStatus::Expiring => Some(view! { <span class="badge warn">"Expires within 30 days"</span> }),
        CertificateStatus::Expired => Some(view! { <span class="badge bad">"Expired"</span> }),
    }
}

/// The Add Certificate window: Domain and a .pem file.
#[component]
fn AddCertificate(open: RwSignal<bool>, list: ReloadingList<CertificateResponse>) -> impl IntoView {
    let notices = Notices::get();
    let domain = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let add = form_action(move |(): &()| {
        let file = file_input
            .get()
            .and_then(|input| input.unchecked_into::<web_sys::HtmlInputElement>().files())
            .and_then(|files| files.get(0));
        let domain = domain.get_untracked();
        async move {
            let file = file.ok_or_else(|| ApiFailure::for_field("file", "Choose the .pem file to upload"))?;
            api::add_certificate(domain, file).await?;
            open.set(false);
            list.reload();
            notices.show("The certificate is added.");
            Ok(())
        }
    });
    let file_error = FormErrors::of(add).field("file");

    view! {
        <ModalForm title="Add certificate" title_id="add-certificate-title" save_label="Add" action=add
            on_close=Callback::new(move |()| open.set(false))>
            <Field id="certificate-domain" label="Domain" value=domain errors_for="domain" required=true/>
            <div class="field" class:has-error=move || file_error.with(Option::is_some)>
                <label for="certificate-file">"Upload file (.pem)"</label>
                <input id="certificate-file" type="file" accept=".pem,application/x-pem-file" node_ref=file_input
                    aria-describedby="certificate-file-help certificate-file-error"/>
                <p class="meta" id="certificate-file-help">"The client certificate (and its chain) with its unencrypted private key, in one PEM file."</p>
                <p class="field-error" id="certificate-file-error" role="alert">{move || file_error.get()}</p>
            </div>
        </ModalForm>
    }
}

/// Connects to the certificate's domain (or a URL on it) presenting the certificate, and says how it went.
#[component]
fn TestCertificate(certificate: CertificateResponse, testing: RwSignal<Option<CertificateResponse>>) -> impl IntoView {
    let url = RwSignal::new(format!("https://{}/", certificate.domain.trim_start_matches("*.")));
    let outcome = RwSignal::new(None::<Result<CertificateTestResponse, ApiFailure>>);
    let running = RwSignal::new(false);
    let id = certificate.id.clone();
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        running.set(true);
        outcome.set(None);
        let id = id.clone();
        spawn_local(async move {
            outcome.set(Some(api::test_certificate(id, Some(url.get_untracked())).await));
            running.set(false);
        });
    };
    view! {
        <ModalFrame labelledby="test-certificate-title" on_close=Callback::new(move |()| { testing.set(None); })>
            <form class="modal" on:submit=run novalidate>
                <h2 id="test-certificate-title">{format!("Test the certificate for {}", certificate.domain)}</h2>
                <Field id="test-url" label="URL" value=url
                    error=Signal::derive(move || outcome.get().and_then(|o| o.err()).and_then(|f| f.field("url")))/>
                <div role="status" aria-live="polite" data-testid="test-outcome">
                    {move || outcome.get().map(|o| match o {
                        Ok(o) => view! { <p class=if o.ok { "outcome good" } else { "outcome bad" }>{o.message}</p> }.into_any(),
                        Err(f) if f.body.fields.is_none() => view! { <p class="outcome bad">{f.message()}</p> }.into_any(),
                        Err(_) => ().into_any(),
                    })}
                </div>
                <div class="modal-actions">
                    <button type="button" class="button secondary" on:click=move |_| testing.set(None)>"Close"</button>
                    <button type="submit" class="button primary" disabled=move || running.get()>
                        {move || if running.get() { "Testing…" } else { "Run test" }}
                    </button>
                </div>
            </form>
        </ModalFrame>
    }
}
