//! The security log: a user's own events, or (admins) the whole account's, filtered by kind and user.

use crate::api;
use crate::components::time::Time;
use crate::state::Reloading;
use leptos::prelude::*;
use shared::v1::SecurityEventKind;

#[component]
pub fn SecurityLog(
    /// Admins: the whole account's events, with filters.
    account_wide: bool,
) -> impl IntoView {
    let page = RwSignal::new(1u32);
    let kind = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let events = Reloading::new(move || {
        let (page, kind, user) = (page.get(), kind.get(), user.get());
        api::security_events(account_wide, page, Some(kind), Some(user))
    });
    let users = Reloading::new(move || async move {
        match account_wide {
            true => api::list_users().await,
            false => Ok(Vec::new()),
        }
    });
    let (title, id) =
        if account_wide { ("Account security log", "account-log") } else { ("Your security log", "own-log") };

    view! {
        <section class="card" aria-labelledby=format!("{id}-title") data-testid=id>
            <h2 id=format!("{id}-title")>{title}</h2>
            {account_wide.then(|| view! {
                <div class="inline-form filters">
                    <div class="field">
                        <label for="log-kind">"Event"</label>
                        <select id="log-kind" on:change=move |ev| { kind.set(event_target_value(&ev)); page.set(1); }>
                            <option value="">"All events"</option>
                            {SecurityEventKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="log-user">"User"</label>
                        <select id="log-user" on:change=move |ev| { user.set(event_target_value(&ev)); page.set(1); }>
                            <option value="">"All users"</option>
                            {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|u| view! {
                                <option value=u.id.clone()>{u.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
            })}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || events.get().map(|result| match result {
                    Err(f) => view! { <p class="form-error">{f.message()}</p> }.into_any(),
                    Ok(p) if p.events.is_empty() => view! { <p class="empty">"No events."</p> }.into_any(),
                    Ok(p) => {
                        let last_page = p.total.div_ceil(u64::from(p.per_page)).max(1);
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <thead><tr>
                                        <th>"When"</th><th>"Event"</th>{account_wide.then(|| view! { <th>"User"</th> })}
                                        <th>"Detail"</th><th>"Address"</th><th>"Browser"</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.events.into_iter().map(|e| view! {
                                            <tr>
                                                <td><Time at=e.at/></td>
                                                <td>{e.kind.label()}</td>
                                                {account_wide.then(|| view! { <td>{e.user_name.clone().unwrap_or_default()}</td> })}
                                                <td class="wrap">{e.detail.clone()}</td>
                                                <td>{e.ip.clone()}</td>
                                                <td class="wrap small"><span title=e.user_agent.clone()>{e.browser.clone()}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <div class="pager">
                                // One page needs no pager, only the count.
                                {(last_page > 1).then(|| view! {
                                    <button class="button secondary small" disabled={p.page <= 1} on:click=move |_| page.update(|n| *n -= 1)>"Newer"</button>
                                })}
                                <span class="meta">{match last_page {
                                    1 => count(p.total),
                                    _ => format!("Page {} of {last_page} · {}", p.page, count(p.total)),
                                }}</span>
                                {(last_page > 1).then(|| view! {
                                    <button class="button secondary small" disabled={u64::from(p.page) >= last_page} on:click=move |_| page.update(|n| *n += 1)>"Older"</button>
                                })}
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// "1 event", "2 events".
fn count(total: u64) -> String {
    match total {
        1 => "1 event".into(),
        n => format!("{n} events"),
    }
}
