//! Account information (company, address, phone): admins edit it, everyone else reads it.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::state::Notices;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::AccountInfo;

#[component]
pub fn AccountInformation(is_admin: bool) -> impl IntoView {
    let notices = Notices::get();
    let fields: [(&'static str, &'static str, RwSignal<String>); 6] = [
        ("company-name", "Company name", RwSignal::new(String::new())),
        ("company-address", "Address", RwSignal::new(String::new())),
        ("company-city", "City", RwSignal::new(String::new())),
        ("company-state", "State", RwSignal::new(String::new())),
        ("company-zip", "Zip", RwSignal::new(String::new())),
        ("company-phone", "Phone number", RwSignal::new(String::new())),
    ];
    let [company, address, city, state, zip, phone] = fields.map(|(_, _, signal)| signal);
    let failure = RwSignal::new(None::<ApiFailure>);
    // The form shows once the stored values are in, so a late answer cannot overwrite what is typed.
    let loaded = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(info) = api::get_account_info().await {
            for (signal, value) in [company, address, city, state, zip, phone].into_iter().zip([
                info.company_name,
                info.address,
                info.city,
                info.state,
                info.zip,
                info.phone,
            ]) {
                signal.set(value);
            }
        }
        loaded.set(true);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = AccountInfo {
            company_name: company.get(),
            address: address.get(),
            city: city.get(),
            state: state.get(),
            zip: zip.get(),
            phone: phone.get(),
        };
        spawn_local(async move {
            match api::save_account_info(request).await {
                Ok(_) => {
                    failure.set(None);
                    notices.show("The account information is saved.");
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let server_names = ["company_name", "address", "city", "state", "zip", "phone"];

    view! {
        <section class="card" aria-labelledby="account-info-title">
            <h2 id="account-info-title">"Account information"</h2>
            <Show when=move || loaded.get() fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {if is_admin {
                    view! {
                        <form on:submit=save novalidate>
                            {fields.into_iter().zip(server_names).map(|((id, label, value), name)| view! {
                                <Field id=id label=label value=value error=Signal::derive(move || failure.get().and_then(|f| f.field(name)))/>
                            }).collect_view()}
                            <button type="submit" class="button primary">"Save account information"</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <dl class="details">
                            {fields.into_iter().map(|(_, label, value)| view! { <dt>{label}</dt><dd>{move || value.get()}</dd> }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            </Show>
        </section>
    }
}
