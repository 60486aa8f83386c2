//! Short-lived memory of the reads scripts and dashboards repeat (who a developer key, access
//! token or session belongs to, the `/api/v1/me` view), so a script polling with its key does
//! not touch the database on every request.
//!
//! Every write request voids all of it when it ends: a generation count, read before each
//! load so that a load which raced a write is never kept. On SQLite the count sits in a small
//! file beside the database, mapped into memory, so every instance on that database (they are
//! on one machine) sees another's write as soon as it is answered; a write that bypasses the
//! server (an operator's own SQL) shows within [`FRESH_FOR`]. On PostgreSQL the instances may be
//! on several machines: each keeps its own count, which the database's change notices also move
//! ([`crate::change_feed`]), so another instance's write, or an operator's, is seen within
//! milliseconds; while the notices cannot be heard, nothing is kept.

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use anyhow::Context;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest a kept read is served.
pub const FRESH_FOR: Duration = Duration::from_secs(1);
/// Entries per kind; past it the stale ones go, and if none are stale, all of them.
const MOST_ENTRIES: usize = 4096;

/// What was read, when, and in which generation.
struct Entry<V> {
    value: V,
    loaded: Instant,
    generation: u64,
}

/// One kind of read, by key. `None` for a generation means nothing is kept.
pub struct Recent<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Hash + Eq, V: Clone> Recent<K, V> {
    fn new() -> Self {
        Recent { entries: Mutex::new(HashMap::new()) }
    }

    /// The value kept for `key`, if it is still fresh and no write has ended since its load.
    pub fn get(&self, key: &K, generation: Option<u64>) -> Option<V> {
        let generation = generation?;
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(key)?;
        (entry.generation == generation && entry.loaded.elapsed() < FRESH_FOR).then(|| entry.value.clone())
    }

    /// Keeps `value`, loaded after `generation` was read.
    pub fn put(&self, key: K, value: V, generation: Option<u64>) {
        let Some(generation) = generation else { return };
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= MOST_ENTRIES {
            entries.retain(|_, e| e.generation == generation && e.loaded.elapsed() < FRESH_FOR);
            if entries.len() >= MOST_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, Entry { value, loaded: Instant::now(), generation });
    }
}

/// A counter every process that maps the same file shares.
struct SharedCounter {
    map: memmap2::MmapRaw,
}

impl SharedCounter {
    fn open(path: &std::path::Path) -> anyhow::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .with_context(|| format!("Failed to open {}", path.display()))?;
        if file.metadata()?.len() < 8 {
            file.set_len(8)?;
        }
        let map = memmap2::MmapOptions::new().len(8).map_raw(&file).context("Failed to map the generation file")?;
        Ok(SharedCounter { map })
    }

    fn counter(&self) -> &AtomicU64 {
        // SAFETY: the mapping is 8 bytes, page-aligned, and lives as long as `self`, which the
        // reference borrows; every process touches those bytes only through this atomic.
        unsafe { AtomicU64::from_ptr(self.map.as_mut_ptr().cast::<u64>()) }
    }
}

/// Where the generation comes from.
enum Generation {
    /// SQLite: the counter in the file beside the database.
    Shared(SharedCounter),
    /// PostgreSQL: this instance's counter, moved by its writes and by every change notice.
    Notified(Arc<crate::change_feed::ChangeFeed>),
}

/// The kinds of read kept, and the generation they share.
pub struct RecentReads {
    generation: Generation,
    /// By the developer key's lookup hash: its row, its user and their account.
    pub key_callers: Recent<String, Arc<crate::auth::extract::KeyCaller>>,
    /// By the access token's lookup hash: its row, read into types, with its user and account.
    pub token_callers: Recent<String, Arc<crate::auth::access_tokens::TokenCaller>>,
    /// By the session cookie's hash: the session with its user and account.
    pub session_callers: Recent<String, Arc<crate::auth::extract::SessionCaller>>,
    /// By user id: the answer's JSON.
    pub me: Recent<String, web::Bytes>,
}

impl RecentReads {
    /// Keeps reads for an SQLite database (the counter file beside it), or for PostgreSQL (its
    /// change notices, heard on a connection of their own).
    pub fn for_database(location: &str) -> anyhow::Result<Self> {
        let generation = match crate::db::pool::is_postgres(location) {
            true => Generation::Notified(crate::change_feed::ChangeFeed::start(location)),
            false => Generation::Shared(SharedCounter::open(std::path::Path::new(&format!("{location}.generation")))?),
        };
        Ok(RecentReads {
            generation,
            key_callers: Recent::new(),
            token_callers: Recent::new(),
            session_callers: Recent::new(),
            me: Recent::new(),
        })
    }

    /// Read before a load; give it to `put` with what was loaded. `None`: keep nothing.
    pub fn generation(&self) -> Option<u64> {
        match &self.generation {
            Generation::Shared(counter) => Some(counter.counter().load(Ordering::Acquire)),
            Generation::Notified(feed) => feed.generation(),
        }
    }

    /// Voids everything kept so far: in every instance on this SQLite file; on PostgreSQL in this
    /// one (the others hear of the write from the database).
    pub fn forget_all(&self) {
        match &self.generation {
            Generation::Shared(counter) => {
                counter.counter().fetch_add(1, Ordering::AcqRel);
            }
            Generation::Notified(feed) => feed.bump(),
        }
    }
}

/// Voids what was kept when a write request ends, answered or dropped.
struct ForgetOnDrop(web::Data<AppState>);

impl Drop for ForgetOnDrop {
    fn drop(&mut self) {
        self.0.recent.forget_all();
    }
}

/// Middleware: after every request that may write (any method but GET, HEAD, OPTIONS),
/// forget what was read before it.
pub async fn forget_after_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().filter(|_| !req.method().is_safe()).cloned();
    let _forget = state.map(ForgetOnDrop);
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_in(dir: &tempfile::TempDir) -> RecentReads {
        RecentReads::for_database(&dir.path().join("db.sqlite3").to_string_lossy()).unwrap()
    }

    #[test]
    fn a_value_is_kept_until_a_write_ends() {
        let dir = tempfile::tempdir().unwrap();
        let reads = reads_in(&dir);
        reads.me.put("u1".to_string(), sample(), reads.generation());
        assert!(reads.me.get(&"u1".to_string(), reads.generation()).is_some());
        reads.forget_all();
        assert!(reads.me.get(&"u1".to_string(), reads.generation()).is_none());
    }

    #[test]
    fn a_write_ended_by_another_instance_on_the_same_database_voids_it_too() {
        let dir = tempfile::tempdir().unwrap();
        let (this, other) = (reads_in(&dir), reads_in(&dir));
        this.me.put("u1".to_string(), sample(), this.generation());
        other.forget_all();
        assert!(this.me.get(&"u1".to_string(), this.generation()).is_none());
    }

    #[test]
    fn a_load_that_raced_a_write_is_never_served() {
        let dir = tempfile::tempdir().unwrap();
        let reads = reads_in(&dir);
        let read_before_the_load = reads.generation();
        reads.forget_all(); // a write ends while the load runs
        reads.me.put("u1".to_string(), sample(), read_before_the_load);
        assert!(reads.me.get(&"u1".to_string(), reads.generation()).is_none());
    }

    #[test]
    fn nothing_is_kept_on_postgresql_while_its_notices_cannot_be_heard() {
        let reads = RecentReads::for_database("postgres://keydesk@127.0.0.1/keydesk").unwrap();
        assert_eq!(reads.generation(), None);
        reads.me.put("u1".to_string(), sample(), reads.generation());
        assert!(reads.me.get(&"u1".to_string(), reads.generation()).is_none());
    }

    #[test]
    fn a_value_expires_after_fresh_for() {
        let recent: Recent<u32, u32> = Recent::new();
        recent.put(1, 7, Some(0));
        assert_eq!(recent.get(&1, Some(0)), Some(7));
        std::thread::sleep(FRESH_FOR + Duration::from_millis(50));
        assert_eq!(recent.get(&1, Some(0)), None);
    }

    #[test]
    fn the_map_stays_bounded() {
        let recent: Recent<usize, usize> = Recent::new();
        for i in 0..(MOST_ENTRIES * 3) {
            recent.put(i, i, Some(0));
        }
        assert!(recent.entries.lock().unwrap().len() <= MOST_ENTRIES);
        assert_eq!(recent.get(&(MOST_ENTRIES * 3 - 1), Some(0)), Some(MOST_ENTRIES * 3 - 1));
    }

    fn sample() -> web::Bytes {
        web::Bytes::from_static(br#"{"id": "u1"}"#)
    }
}
