//! argon2id password hashing, with its parameters in this one place.
//! Call [`hash`] and [`verify`] only off the async executor: one hash takes tens of milliseconds.

use crate::error::ApiError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;

/// OWASP's recommendation: m=19456 KiB, t=2, p=1.
const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string (`$argon2id$v=19$m=...`), which records its parameters so they can be raised later.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let phc =
        hasher()?.hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(phc.to_string())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    /// `needs_rehash`: the stored hash used other parameters than today's.
    Right {
        needs_rehash: bool,
    },
}

pub fn verify(password: &str, phc: &str) -> Verdict {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Verdict::Wrong;
    };
    let Ok(argon) = hasher() else {
        return Verdict::Wrong;
    };
    if argon.verify_password(password.as_bytes(), &parsed).is_err() {
        return Verdict::Wrong;
    }
    let current = Params::try_from(&parsed)
        .map(|p| p.m_cost() == M_COST_KIB && p.t_cost() == T_COST && p.p_cost() == P_COST)
        .unwrap_or(false);
    let needs_rehash = !current || parsed.algorithm != argon2::ARGON2ID_IDENT;
    Verdict::Right { needs_rehash }
}

/// Threads that only hash, one per core: more would not finish sooner, would take CPU turns
/// from the async workers, and would each hold a 19 MiB block at once (on the general blocking
/// pool, dozens did). Why those blocks go back to the system afterwards: see `main.rs`.
static HASHERS: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
        .thread_name(|i| format!("argon2-{i}"))
        .build();
    built.inspect_err(|e| tracing::error!(error = %e, "could not start the hashing threads")).ok()
});

/// What a refused request is told to wait.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// The bounded queue in front of the hashing threads. Every argon2 hash or verification of a
/// request goes through it: when `limit` are already waiting or running, the request gets
/// 503 `server_busy` at once instead of queueing without end.
pub struct HashQueue {
    in_flight: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    limit: usize,
}

/// A place in the queue, given back when the hash ends or is skipped.
struct Place(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl HashQueue {
    pub fn new(limit: usize) -> Self {
        HashQueue { in_flight: Default::default(), limit: limit.max(1) }
    }

    fn enter(&self) -> Result<Place, ApiError> {
        use std::sync::atomic::Ordering;
        let entered =
            self.in_flight.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.limit).then_some(n + 1));
        match entered {
            Ok(_) => Ok(Place(self.in_flight.clone())),
            Err(_) => Err(ApiError::ServerBusy { retry_after_secs: BUSY_RETRY_AFTER_SECS }),
        }
    }

    /// Runs `work` on a hashing thread, off the async executor. If the request is dropped (its
    /// client went away) before a thread is free, `work` is skipped: nobody would read it.
    async fn off_thread<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let pool = HASHERS.as_ref().ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no hashing threads")))?;
        let place = self.enter()?;
        let (done, result) = tokio::sync::oneshot::channel();
        pool.spawn(move || {
            if done.is_closed() {
                return; // `place` is given back as it drops
            }
            let result = work();
            // Given back before the answer, so the next request sees the place free.
            drop(place);
            let _ = done.send(result);
        });
        result.await.map_err(|e| ApiError::Unexpected(e.into()))
    }

    /// [`hash`] on a hashing thread.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.off_thread(move || hash(&password)).await?.map_err(ApiError::from)
    }

    /// [`verify`] on a hashing thread.
    pub async fn verify(&self, password: String, phc: String) -> Result<Verdict, ApiError> {
        self.off_thread(move || verify(&password, &phc)).await
    }

    /// [`verify`] against a user's stored hash, or, when there is no such user, against a dummy hash,
    /// so that answer takes as long as a wrong password. On a hashing thread, where the dummy is also
    /// made the first time (it is a hash itself: never on the async executor).
    pub async fn verify_user(&self, password: String, stored: Option<String>) -> Result<Verdict, ApiError> {
        self.off_thread(move || verify(&password, stored.as_deref().unwrap_or(&DUMMY_HASH))).await
    }
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash(&crate::crypto::random_token()).unwrap_or_else(|_| String::from("$argon2id$invalid")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash("Secret1!").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(verify("Secret1!", &phc), Verdict::Right { needs_rehash: false });
        assert_eq!(verify("Secret1?", &phc), Verdict::Wrong);
    }

    #[test]
    fn hashes_with_older_parameters_ask_to_be_rehashed() {
        let params = Params::new(8192, 1, 1, None).unwrap();
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let phc = weak.hash_password(b"Secret1!", &salt).unwrap().to_string();
        assert_eq!(verify("Secret1!", &phc), Verdict::Right { needs_rehash: true });
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_a_place_comes_back_when_its_hash_ends() {
        let queue = HashQueue::new(1);
        let held = queue.enter().unwrap();
        assert!(matches!(queue.hash("x".into()).await, Err(ApiError::ServerBusy { .. })));
        drop(held);
        assert!(queue.hash("x".into()).await.is_ok());
        assert_eq!(queue.in_flight.load(std::sync::atomic::Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_hash_whose_request_was_dropped_is_not_computed() {
        let queue = HashQueue::new(1000);
        let threads = HASHERS.as_ref().unwrap().current_num_threads();
        // Every hashing thread busy until released, so the next job waits in the queue.
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Arc::new(std::sync::Mutex::new(released));
        let blockers: Vec<_> = (0..threads)
            .map(|_| {
                let released = released.clone();
                tokio::spawn(HashQueue::new(1000).off_thread_owned(move || {
                    let _ = released.lock().map(|r| r.recv());
                }))
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = ran.clone();
        let dropped = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            queue.off_thread(move || flag.store(true, std::sync::atomic::Ordering::Release)),
        )
        .await;
        assert!(dropped.is_err(), "the job waited behind the busy threads");
        for _ in 0..threads {
            release.send(()).unwrap();
        }
        for blocker in blockers {
            blocker.await.unwrap().unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!ran.load(std::sync::atomic::Ordering::Acquire), "the dropped request's work ran");
        assert_eq!(queue.in_flight.load(std::sync::atomic::Ordering::Acquire), 0, "its place came back");
    }

    impl HashQueue {
        /// `off_thread` on a queue the future owns, for spawning.
        async fn off_thread_owned<T: Send + 'static>(
            self,
            work: impl FnOnce() -> T + Send + 'static,
        ) -> Result<T, ApiError> {
            self.off_thread(work).await
        }
    }

    #[test]
    fn a_malformed_stored_hash_never_verifies() {
        assert_eq!(verify("x", "not a hash"), Verdict::Wrong);
    }
}
