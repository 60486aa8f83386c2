//! PostgreSQL's word that something changed. Triggers on the tables remembered reads come from
//! NOTIFY `keydesk_changes` (migration `change_notices`), and every instance keeps one connection
//! LISTENing: each notice moves this instance's generation, so what it remembers is forgotten
//! within milliseconds of a commit anywhere. While that connection is down nothing is remembered.

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

const CHANNEL: &str = "keydesk_changes";
/// How often arrived notices are read: a read of the socket, no round trip.
const POLL: Duration = Duration::from_millis(2);
/// How often the connection is asked whether it is alive, so a dead one is noticed.
const HEARTBEAT: Duration = Duration::from_millis(500);
const RETRY: Duration = Duration::from_secs(1);

pub struct ChangeFeed {
    generation: AtomicU64,
    listening: AtomicBool,
}

impl ChangeFeed {
    /// Starts listening on `url` in a thread of its own, which ends once the feed is dropped.
    pub fn start(url: &str) -> Arc<ChangeFeed> {
        let feed = Arc::new(ChangeFeed { generation: AtomicU64::new(0), listening: AtomicBool::new(false) });
        let (weak, url) = (Arc::downgrade(&feed), url.to_string());
        let spawned = std::thread::Builder::new().name("change-feed".into()).spawn(move || listen(&weak, &url));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the change listener; nothing will be remembered");
        }
        feed
    }

    /// The current generation; None while not listening, when nothing may be kept.
    pub fn generation(&self) -> Option<u64> {
        self.listening.load(Ordering::Acquire).then(|| self.generation.load(Ordering::Acquire))
    }

    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn set_listening(&self, listening: bool) {
        self.listening.store(listening, Ordering::Release);
        // Whatever was kept before this moment belongs to another stretch of listening.
        self.bump();
    }
}

fn listen(feed: &Weak<ChangeFeed>, url: &str) {
    let mut warned = false;
    while feed.strong_count() > 0 {
        match connect(url) {
            Ok(conn) => {
                warned = false;
                if let Some(f) = feed.upgrade() {
                    f.set_listening(true);
                }
                follow(feed, conn);
                if let Some(f) = feed.upgrade() {
                    f.set_listening(false);
                }
                tracing::warn!("the change listener lost its connection; remembering nothing until it is back");
            }
            Err(e) if !warned => {
                warned = true;
                tracing::warn!(error = %e, "the change listener cannot connect; remembering nothing until it can");
            }
            Err(_) => {}
        }
        std::thread::sleep(RETRY);
    }
}

fn connect(url: &str) -> diesel::QueryResult<PgConnection> {
    let mut conn = PgConnection::establish(url).map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    Ok(conn)
}

/// Moves the generation at each notice until the connection fails or the feed is dropped.
fn follow(feed: &Weak<ChangeFeed>, mut conn: PgConnection) {
    let mut beat = Instant::now();
    loop {
        let Some(f) = feed.upgrade() else { return };
        for notice in conn.notifications_iter() {
            match notice {
                Ok(_) => f.bump(),
                Err(_) => return,
            }
        }
        drop(f);
        if beat.elapsed() >= HEARTBEAT {
            if diesel::sql_query("SELECT 1").execute(&mut conn).is_err() {
                return;
            }
            beat = Instant::now();
        }
        std::thread::sleep(POLL);
    }
}
