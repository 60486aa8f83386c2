//! Personal access tokens (Account tab): create one (name, access per resource, expiry, networks),
//! see it once with Copy, and the list with last use and Revoke. [`TokenList`] also serves the
//! admins' list of the account's tokens.

use crate::api::{self, ApiFailure, NewAccessToken};
use crate::components::copy_button::CopyButton;
use crate::components::data_table::{DataTable, ListView};
use crate::components::dialog::{PasswordDialog, Removal, RemovalDialog};
use crate::components::field::Field;
use crate::components::modal_form::{form_action, FormErrors, ModalForm};
use crate::state::{format_time, now, utc_date, Notices, ReloadingList};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::v1::{
    AccessToken, CreateAccessTokenRequest, TokenAccess, TokenPolicy, TokenResource, TokenScopes, EXPIRY_NOTICE_DAYS,
};
use shared::Secret;

/// The expiries offered besides a custom number of days, as GitHub offers them.
const PRESET_DAYS: [u32; 4] = [7, 30, 60, 90];

#[component]
pub fn AccessTokens() -> impl IntoView {
    // The Create a token window is open, under the account's policy as it was when it opened.
    let creating = RwSignal::new(None::<TokenPolicy>);
    let busy = RwSignal::new(false);
    let open_form = move |_| {
        busy.set(true);
        spawn_local(async move {
            // Without the policy the form still works: the server checks the expiry again.
            creating.set(Some(api::get_token_policy().await.unwrap_or_default()));
            busy.set(false);
        });
    };
    // The token just created, shown until dismissed.
    let created = RwSignal::new(None::<NewAccessToken>);
    view! {
        <section class="card" aria-labelledby="access-tokens-title">
            <div class="card-head">
                <h2 id="access-tokens-title">"Access tokens"</h2>
                <button class="button primary" disabled=move || busy.get() on:click=open_form>"Create a token"</button>
            </div>
            <p class="help">
                "Scripts and tools use a token to call the API as you, limited to the access you choose: "
                <code>"Authorization: Bearer <token>"</code>
                ". No token can change passwords, keys, tokens, sessions or two-factor authentication."
            </p>
            // A live region that is already on the page, so the reveal is announced when it appears.
            <div role="status">
                {move || created.get().map(|new| view! {
                    <div class="outcome good token-reveal">
                        <h3>{format!("Your new token \u{201c}{}\u{201d}", new.name)}</h3>
                        <p><strong>"Copy it now; it will not be shown again."</strong></p>
                        <div class="key-row">
                            <code class="key-value" data-testid="new-token">{new.token.expose().to_string()}</code>
                            <CopyButton text=new.token.into_inner()/>
                            <button type="button" class="button secondary" on:click=move |_| created.set(None)>"Done"</button>
                        </div>
                    </div>
                })}
            </div>
            <TokenList account_wide=false/>
            {move || creating.get().map(|policy| view! { <TokenForm policy creating created/> })}
        </section>
    }
}

/// The Create a token window. The card asks for the account's policy each time it opens, so the
/// expiries offered are the ones in force.
#[component]
fn TokenForm(
    policy: TokenPolicy,
    creating: RwSignal<Option<TokenPolicy>>,
    created: RwSignal<Option<NewAccessToken>>,
) -> impl IntoView {
    let max_days = policy.max_lifetime_days;
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(TokenScopes::new());
    // 30 days where allowed, else the longest preset that is, else a custom number.
    let preset = PRESET_DAYS.into_iter().filter(|d| *d <= max_days).take_while(|d| *d <= 30).last();
    let expiry = RwSignal::new(preset.map_or_else(|| "custom".to_string(), |d| d.to_string()));
    let custom_days = RwSignal::new(max_days.min(30).to_string());
    let networks = RwSignal::new(String::new());
    let reauth_open = RwSignal::new(false);
    let reauth_error = RwSignal::new(None::<String>);

    let days = move || expires_in_days(&expiry.get(), &custom_days.get());
    let request = move |password: Option<String>| CreateAccessTokenRequest {
        name: name.get_untracked(),
        scopes: scopes.get_untracked(),
        expires_in_days: expires_in_days(&expiry.get_untracked(), &custom_days.get_untracked()),
        allowed_networks: networks
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect(),
        password: password.map(Secret::from),
    };
    // Sent first with no password; again with the one asked for, when the server wants it.
    let create = form_action(move |password: &Option<String>| {
        let request = request(password.clone());
        // The shared rules first, so the form says what the server would, before anything is sent.
        let problems = ApiFailure::for_problems(request.problems(&policy));
        async move {
            if let Some(problems) = problems {
                reauth_open.set(false);
                return Err(problems);
            }
            match api::create_access_token(request).await {
                Ok(new) => {
                    reauth_open.set(false);
                    created.set(Some(new));
                    creating.set(None);
                }
                Err(f) if f.body.code == shared::ErrorCode::ReauthenticationRequired => {
                    reauth_error.set(None);
                    reauth_open.set(true);
                }
                Err(f) if f.field("password").is_some() => reauth_error.set(f.field("password")),
                Err(f) => {
                    reauth_open.set(false);
                    return Err(f);
                }
            }
            Ok(())
        }
    });
    let errors = FormErrors::of(create);
    let (scopes_error, expiry_error, networks_error) =
        (errors.field("scopes"), errors.field("expires_in_days"), errors.field("allowed_networks"));
    // The selects hold their own state (the form is new each time it opens): no option needs a
    // reactive `selected`, only the first choice a static one.
    let initial = expiry.get_untracked();
    let expiry_option = move |value: String, label: String| {
        let selected = value == initial;
        view! { <option value=value selected=selected>{label}</option> }
    };

    view! {
        <ModalForm
            title="Create a token"
            title_id="create-token-title"
            save_label="Create token"
            action=create
            on_close=Callback::new(move |()| creating.set(None))
            wide=true
        >
            <Field id="token-name" label="Token name" value=name errors_for="name" required=true autofocus=true/>
            <fieldset class="scopes" aria-describedby="token-scopes-error">
                <legend>"Access"</legend>
                {TokenResource::ALL.iter().map(|&resource| {
                    let id = format!("scope-{}", resource.as_str());
                    view! {
                        <div class="scope-row">
                            <label for=id.clone()>{resource.label()}</label>
                            <select id=id on:change=move |ev| {
                                let access = match event_target_value(&ev).as_str() {
                                    "read" => Some(TokenAccess::Read),
                                    "write" => Some(TokenAccess::Write),
                                    _ => None,
                                };
                                scopes.update(|s| match access {
                                    Some(access) => { s.insert(resource, access); }
                                    None => { s.remove(&resource); }
                                });
                            }>
                                <option value="">"No access"</option>
                                <option value="read">"Read"</option>
                                <option value="write">"Read and write"</option>
                            </select>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id="token-scopes-error" role="alert">{move || scopes_error.get()}</p>
            </fieldset>
            <div class="field" class:has-error=move || expiry_error.with(Option::is_some)>
                <label for="token-expiry">"Expiration"</label>
                <select id="token-expiry" aria-describedby="token-expiry-help token-expiry-error"
                    on:change=move |ev| expiry.set(event_target_value(&ev))>
                    {PRESET_DAYS
                        .into_iter()
                        .filter(|d| *d <= max_days)
                        .map(|d| expiry_option(d.to_string(), format!("{d} days")))
                        .collect_view()}
                    {expiry_option("custom".into(), "Custom…".into())}
                    {policy.allow_no_expiry.then(|| expiry_option("never".into(), "No expiry".into()))}
                </select>
                <p class="meta" id="token-expiry-help">{move || match days() {
                    None => "The token never expires.".to_string(),
                    Some(d) if (1..=max_days).contains(&d) => format!(
                        "The token expires on {}.",
                        utc_date(now() + chrono::Duration::days(i64::from(d))),
                    ),
                    Some(_) => format!("This account allows up to {max_days} days."),
                }}</p>
                <p class="field-error" id="token-expiry-error" role="alert">{move || expiry_error.get()}</p>
            </div>
            <Show when=move || expiry.with(|e| e == "custom")>
                <Field id="token-days" label="Days" kind="number" value=custom_days required=true/>
            </Show>
            <div class="field" class:has-error=move || networks_error.with(Option::is_some)>
                <label for="token-networks">"Allowed networks (optional)"</label>
                <textarea id="token-networks" rows="3" spellcheck="false" placeholder="203.0.113.0/24"
                    aria-describedby="token-networks-help token-networks-error"
                    prop:value=move || networks.get()
                    on:input=move |ev| networks.set(event_target_value(&ev))></textarea>
                <p class="meta" id="token-networks-help">
                    "One address or CIDR network a line. Empty: the token works from anywhere."
                </p>
                <p class="field-error" id="token-networks-error" role="alert">{move || networks_error.get()}</p>
            </div>
        </ModalForm>
        // Beside the form, not in it: its own form's submit event would bubble into this one.
        <PasswordDialog open=reauth_open error=reauth_error on_submit=Callback::new(move |p: String| { create.dispatch(Some(p)); })/>
    }
}

/// What the expiry picker says, as `expires_in_days`; a custom number that is not one becomes 0,
/// which the shared rules then refuse with the server's words.
fn expires_in_days(choice: &str, custom: &str) -> Option<u32> {
    match choice {
        "never" => None,
        "custom" => Some(custom.trim().parse().unwrap_or(0)),
        preset => Some(preset.parse().unwrap_or(0)),
    }
}

/// The caller's tokens, or (admins, `account_wide`) everyone's in the account, with Revoke.
#[component]
pub fn TokenList(account_wide: bool) -> impl IntoView {
    let notices = Notices::get();
    let tokens = ReloadingList::new(move || api::list_access_tokens(account_wide));
    let revoking = Removal::<AccessToken>::default();
    let revoke = move |token: AccessToken| {
        let done = "The token is revoked: requests that use it are refused.";
        tokens.remove(notices, api::revoke_access_token(account_wide, token.id), done);
    };
    let headers: &'static [&'static str] = match account_wide {
        true => &["Name", "User", "Token", "Access", "Expires", "Last used"],
        false => &["Name", "Token", "Access", "Expires", "Last used"],
    };
    let (testid, empty) = match account_wide {
        true => ("account-access-tokens", "No one in this account has an access token."),
        false => (
            "access-tokens",
            "You have no access tokens. Create one to give a script only the access it needs, for a limited time.",
        ),
    };

    view! {
        <ListView list=tokens empty render=move |list| {
            let now = now();
            view! {
                <DataTable headers testid>
                    {list.into_iter().map(|t| {
                        let (expires, loudness) = expiry(&t, now);
                        view! {
                            <tr>
                                <td>{t.name.clone()}</td>
                                {account_wide.then(|| view! { <td>{t.user_email.clone()}</td> })}
                                <td><code>{t.hint.clone()}</code></td>
                                <td class="access">
                                    {access_lines(&t.scopes).into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
                                    {(!t.allowed_networks.is_empty()).then(|| view! {
                                        <div class="meta">{format!("Only from {}", t.allowed_networks.join(", "))}</div>
                                    })}
                                </td>
                                <td title=t.expires_at.map(format_time)><span class=loudness>{expires}</span></td>
                                <td>{last_use(&t)}</td>
                                <td>{revoking.button("Revoke", t.clone())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }
        }/>
        <RemovalDialog
            removal=revoking
            title="Revoke this token?"
            message=move |t: &AccessToken| {
                let whose = if account_wide { format!("{}'s token", t.user_email) } else { "The token".into() };
                format!(
                    "{whose} \u{201c}{}\u{201d} ({}) stops working at once: scripts that use it are refused. This cannot be undone.",
                    t.name, t.hint
                )
            }
            yes_label="Revoke token"
            on_yes=Callback::new(revoke)
        />
    }
}

/// One line a resource: "Certificates: read", "Profile: read and write".
fn access_lines(scopes: &TokenScopes) -> Vec<String> {
    let line = |(resource, access): (&TokenResource, &TokenAccess)| {
        let access = match access {
            TokenAccess::Read => "read",
            TokenAccess::Write => "read and write",
        };
        format!("{}: {access}", resource.label())
    };
    scopes.iter().map(line).collect()
}

/// "Expires in 12 days", "Expired" or "Never", with the badge class that says how soon.
fn expiry(token: &AccessToken, now: DateTime<Utc>) -> (String, &'static str) {
    let Some(at) = token.expires_at else { return ("Never".into(), "") };
    let seconds = (at - now).num_seconds();
    if token.expired || seconds <= 0 {
        return ("Expired".into(), "badge bad");
    }
    // Rounded up: a 30-day token says 30 days when it is made, not 29.
    let days = (seconds + 86_399) / 86_400;
    let text = if days == 1 { "Expires in 1 day".to_string() } else { format!("Expires in {days} days") };
    (text, if days <= EXPIRY_NOTICE_DAYS { "badge warn" } else { "" })
}

/// "2026-11-23 14:05 UTC from 203.0.113.7", or "Never used".
fn last_use(token: &AccessToken) -> String {
    match (token.last_used_at, &token.last_used_ip) {
        (Some(at), Some(ip)) => format!("{} from {ip}", format_time(at)),
        (Some(at), None) => format_time(at),
        (None, _) => "Never used".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn token(expires_in: Option<Duration>, expired: bool, now: DateTime<Utc>) -> AccessToken {
        AccessToken {
            id: "t1".into(),
            name: "Deploy".into(),
            hint: "kdt_…wxyz".into(),
            scopes: TokenScopes::from([
                (TokenResource::Profile, TokenAccess::Write),
                (TokenResource::Certificates, TokenAccess::Read),
            ]),
            created_at: now,
            expires_at: expires_in.map(|d| now + d),
            expired,
            last_used_at: None,
            last_used_ip: None,
            allowed_networks: Vec::new(),
            user_id: "u1".into(),
            user_email: "ann@example.com".into(),
        }
    }

    #[test]
    fn a_new_thirty_day_token_says_thirty_days() {
        let now = Utc::now();
        let fresh = token(Some(Duration::days(30) - Duration::milliseconds(5)), false, now);
        assert_eq!(expiry(&fresh, now), ("Expires in 30 days".into(), ""));
    }

    #[test]
    fn a_token_close_to_its_end_is_flagged_and_a_past_one_is_expired() {
        let now = Utc::now();
        assert_eq!(
            expiry(&token(Some(Duration::hours(3)), false, now), now),
            ("Expires in 1 day".into(), "badge warn")
        );
        assert_eq!(expiry(&token(Some(Duration::days(7)), false, now), now).1, "badge warn");
        assert_eq!(expiry(&token(Some(Duration::days(8)), false, now), now).1, "");
        assert_eq!(expiry(&token(Some(-Duration::hours(1)), false, now), now), ("Expired".into(), "badge bad"));
        assert_eq!(expiry(&token(Some(Duration::days(3)), true, now), now).0, "Expired", "the server's word wins");
        assert_eq!(expiry(&token(None, false, now), now), ("Never".into(), ""));
    }

    #[test]
    fn access_is_listed_in_resource_order() {
        let t = token(None, false, Utc::now());
        assert_eq!(access_lines(&t.scopes), ["Profile: read and write", "Certificates: read"]);
    }

    #[test]
    fn last_use_names_the_address_when_known() {
        let now = Utc::now();
        let mut t = token(None, false, now);
        assert_eq!(last_use(&t), "Never used");
        t.last_used_at = Some(now);
        t.last_used_ip = Some("203.0.113.7".into());
        assert_eq!(last_use(&t), format!("{} from 203.0.113.7", format_time(now)));
    }

    #[test]
    fn the_expiry_picker_gives_days_or_none() {
        assert_eq!(expires_in_days("30", ""), Some(30));
        assert_eq!(expires_in_days("custom", " 45 "), Some(45));
        assert_eq!(expires_in_days("custom", "soon"), Some(0));
        assert_eq!(expires_in_days("never", "45"), None);
    }
}
