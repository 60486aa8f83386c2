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

/// Runs `work` on a hashing thread, off the async executor.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let pool = HASHERS.as_ref().ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no hashing threads")))?;
    let (done, result) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        // The receiver is gone only if the request was dropped; nothing is waiting then.
        let _ = done.send(work());
    });
    result.await.map_err(|e| ApiError::Unexpected(e.into()))
}

/// [`hash`] on a hashing thread.
pub async fn hash_off_thread(password: String) -> Result<String, ApiError> {
    off_thread(move || hash(&password)).await?.map_err(ApiError::from)
}

/// [`verify`] on a hashing thread.
pub async fn verify_off_thread(password: String, phc: String) -> Result<Verdict, ApiError> {
    off_thread(move || verify(&password, &phc)).await
}

/// [`verify`] against a user's stored hash, or, when there is no such user, against a dummy hash,
/// so that answer takes as long as a wrong password. On a hashing thread, where the dummy is also
/// made the first time (it is a hash itself: never on the async executor).
pub async fn verify_user_off_thread(password: String, stored: Option<String>) -> Result<Verdict, ApiError> {
    off_thread(move || verify(&password, stored.as_deref().unwrap_or(&DUMMY_HASH))).await
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

    #[test]
    fn a_malformed_stored_hash_never_verifies() {
        assert_eq!(verify("x", "not a hash"), Verdict::Wrong);
    }
}
