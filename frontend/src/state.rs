//! App-wide state, provided as context: who is signed in, and brief notices.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::common_passwords::CommonPasswords;
use shared::v1::MeResponse;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// The signed-in user, if any. `loaded` turns true once the first check answered.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<MeResponse>>,
    pub loaded: RwSignal<bool>,
}

impl Session {
    pub fn provide() -> Session {
        let session = Session { user: RwSignal::new(None), loaded: RwSignal::new(false) };
        provide_context(session);
        session
    }

    pub fn get() -> Session {
        expect_context::<Session>()
    }

    /// Asks the server whether the browser's session cookie is still good. With no CSRF cookie
    /// (which the server sets and clears with the session's) there is nothing to ask: a signed-out
    /// visit sends no request that would only answer 401 and log an error in the console.
    pub fn load(self) {
        if !api::has_session() {
            self.loaded.set(true);
            return;
        }
        spawn_local(async move {
            self.user.set(api::get_me().await.ok());
            self.loaded.set(true);
        });
    }

    pub fn is_signed_in(self) -> bool {
        self.user.with(Option::is_some)
    }
}

/// A brief success message shown at the bottom of the screen.
#[derive(Clone, Copy)]
pub struct Notices {
    pub current: RwSignal<Option<(u64, String)>>,
    counter: StoredValue<u64>,
}

const NOTICE_SHOWN_FOR: Duration = Duration::from_secs(4);

impl Notices {
    pub fn provide() {
        provide_context(Notices { current: RwSignal::new(None), counter: StoredValue::new(0) });
    }

    /// Take this while rendering: contexts are not reachable from inside async tasks.
    pub fn get() -> Notices {
        expect_context::<Notices>()
    }

    pub fn show(self, message: impl Into<String>) {
        let notices = self;
        let id = notices.counter.get_value() + 1;
        notices.counter.set_value(id);
        notices.current.set(Some((id, message.into())));
        // Only clear the notice this call showed, not a newer one.
        set_timeout(
            move || {
                if notices.current.with_untracked(|c| c.as_ref().map(|(i, _)| *i)) == Some(id) {
                    notices.current.set(None);
                }
            },
            NOTICE_SHOWN_FOR,
        );
    }
}

/// The common-password list behind the checklist's last line, fetched the first time a password
/// form asks for it. Empty until it arrives (and if it cannot be fetched: the server still checks).
#[derive(Clone, Copy)]
pub struct CommonList {
    set: RwSignal<Option<Arc<CommonPasswords>>>,
}

impl CommonList {
    pub fn provide() {
        provide_context(CommonList { set: RwSignal::new(None) });
    }

    /// Take this while rendering; the first call starts the fetch.
    pub fn get() -> CommonList {
        let list = expect_context::<CommonList>();
        if list.set.with_untracked(Option::is_none) {
            list.set.set(Some(Arc::default()));
            spawn_local(async move {
                if let Ok(text) = api::get_common_passwords().await {
                    list.set.set(Some(Arc::new(CommonPasswords::parse(&text))));
                }
            });
        }
        list
    }

    /// The list as far as it has arrived (tracked).
    pub fn current(self) -> Arc<CommonPasswords> {
        self.set.get().unwrap_or_default()
    }

    /// Whether the list has arrived, so a password can be called "not common" (tracked).
    pub fn loaded(self) -> bool {
        self.set.with(|s| s.as_ref().is_some_and(|s| !s.is_empty()))
    }
}

/// Times as the dashboard shows them: `2026-11-23 15:05`, in the browser's time zone.
pub fn format_time(at: chrono::DateTime<chrono::Utc>) -> String {
    local_time(at)
}

/// The time in UTC, for the hover text beside a local time.
pub fn utc_time(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    format!("{} {:02}:{:02} UTC", utc_date(at), at.hour(), at.minute())
}

/// `2026-11-23`, in UTC. (Written out: chrono's strftime parser would cost the download more.)
pub fn utc_date(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// In the browser's time zone (the browser knows it; chrono in wasm does not).
#[cfg(target_arch = "wasm32")]
fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
    let (month, day) = (d.get_month() + 1, d.get_date());
    format!("{:04}-{month:02}-{day:02} {:02}:{:02}", d.get_full_year(), d.get_hours(), d.get_minutes())
}

/// Native builds (the unit tests) have no browser: UTC.
#[cfg(not(target_arch = "wasm32"))]
fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    utc_time(at)
}

/// The browser's clock. (chrono's own clock reads `SystemTime`, which wasm32-unknown-unknown lacks.)
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

thread_local! {
    /// Counts the changes the API accepted; see [`data_changed`].
    static CHANGES: std::cell::Cell<Option<RwSignal<u32>>> = const { std::cell::Cell::new(None) };
}

/// Made once, by the app: every list on screen loads again when it moves.
pub fn provide_change_counter() {
    CHANGES.with(|c| c.set(Some(RwSignal::new(0))));
}

/// Called after every write the API accepted: an action in one card may change what another shows
/// (turning on 2FA changes the Users table and both security logs), so every list loads again.
pub fn data_changed() {
    if let Some(changes) = CHANGES.with(std::cell::Cell::get) {
        changes.update(|n| *n += 1);
    }
}

/// Makes the running reactive read load again at the next change (see [`data_changed`]).
pub fn track_changes() {
    if let Some(changes) = CHANGES.with(std::cell::Cell::get) {
        changes.track();
    }
}

/// Something read from the API (a list, a page of events) that loads again after any change the
/// API accepted, or when `reload` is called. The resource behind it holds the value untyped: one
/// copy of Leptos's resource machinery serves every type (a typed resource cost about 7 KB of wasm
/// each).
pub struct Reloading<T: 'static> {
    value: LocalResource<Loaded>,
    version: RwSignal<u32>,
    read: PhantomData<fn() -> T>,
}

/// A list from the API, reloading as [`Reloading`] does.
pub type ReloadingList<T> = Reloading<Vec<T>>;

/// A loaded value of any type, or why it could not be loaded.
type Loaded = Result<Rc<dyn Any>, crate::api::ApiFailure>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Loaded>>>>;

impl<T: 'static> Clone for Reloading<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Reloading<T> {}

/// The resource of every [`Reloading`]: loads again when `version`, any signal `fetch` reads before
/// it awaits, or any accepted change moves.
fn untyped_resource(version: RwSignal<u32>, fetch: Fetch) -> LocalResource<Loaded> {
    LocalResource::new(move || {
        version.track();
        track_changes();
        fetch()
    })
}

impl<T: Clone + 'static> Reloading<T> {
    pub fn new<F>(fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = Result<T, crate::api::ApiFailure>> + 'static,
    {
        let version = RwSignal::new(0u32);
        let fetch: Fetch = Box::new(move || {
            let loading = fetch();
            Box::pin(async move { loading.await.map(|value| Rc::new(value) as Rc<dyn Any>) })
        });
        Reloading { value: untyped_resource(version, fetch), version, read: PhantomData }
    }

    /// The value, once loaded (tracked, like a resource's `get`).
    pub fn get(&self) -> Option<Result<T, crate::api::ApiFailure>> {
        // `new` stores a `T` and nothing else, so the downcast always finds one.
        self.value.get().and_then(|loaded| match loaded {
            Ok(value) => value.downcast_ref::<T>().cloned().map(Ok),
            Err(failure) => Some(Err(failure)),
        })
    }

    pub fn reload(self) {
        self.version.update(|v| *v += 1);
    }

    /// Runs a removal, tells the user how it went, then reloads the list.
    pub fn remove(
        self,
        notices: Notices,
        removal: impl std::future::Future<Output = Result<(), crate::api::ApiFailure>> + 'static,
        done: &'static str,
    ) {
        leptos::task::spawn_local(async move {
            match removal.await {
                Ok(()) => notices.show(done),
                Err(f) => notices.show(f.message()),
            }
            self.reload();
        });
    }
}
