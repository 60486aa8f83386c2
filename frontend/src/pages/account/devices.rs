//! Remembered devices: browsers that signed in as this user, with Forget.

use crate::api;
use crate::components::browser_cell::BrowserCell;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{Removal, RemovalDialog};
use crate::components::time::Time;
use crate::state::{Notices, ReloadingList};
use leptos::prelude::*;
use shared::v1::DeviceResponse;

#[component]
pub fn Devices() -> impl IntoView {
    let notices = Notices::get();
    let devices = ReloadingList::new(api::list_devices);
    let forgetting = Removal::<DeviceResponse>::default();
    let forget = move |device: DeviceResponse| {
        devices.remove(
            notices,
            api::forget_device(device.id),
            "The device is forgotten. Its next sign-in counts as a new device.",
        );
    };

    view! {
        <section class="card" aria-labelledby="devices-title">
            <h2 id="devices-title">"Remembered devices"</h2>
            <p class="help">
                "Browsers you have signed in from. With two-factor authentication on, a sign-in from any other device brings you an email."
            </p>
            <ListView list=devices render=move |list| view! {
                <DataTable headers=&["Browser", "Address", "Last sign-in"] testid="devices">
                    {list.into_iter().map(|d| {
                        view! {
                            <tr>
                                <BrowserCell browser=d.browser.clone() user_agent=d.user_agent.clone() current=d.current/>
                                <td>{d.ip.clone()}</td>
                                <td><Time at=d.last_seen_at/></td>
                                <td>
                                    {forgetting.button("Forget", d.clone())}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }/>
            <RemovalDialog
                removal=forgetting
                title="Forget this device?"
                message=|d: &DeviceResponse| format!("{} at {}: its next sign-in will count as one from an unrecognized device.", d.browser, d.ip)
                yes_label="Forget device"
                on_yes=Callback::new(forget)
            />
        </section>
    }
}
