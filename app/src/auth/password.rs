//! Password hashing: argon2id with the OWASP-recommended parameters
//! (m = 19 MiB, t = 2, p = 1), always on a blocking thread behind a small
//! semaphore so that a flood of logins cannot exhaust memory or starve
//! other requests.
use std::sync::Arc;
use std::time::Duration;

use std::cell::RefCell;

use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher as _, Version};
use tokio::sync::{OnceCell, Semaphore};

/// Memory cost in KiB, iterations and lanes (OWASP Password Storage Cheat Sheet).
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// How long a login may wait for a hashing slot before it is told to retry.
const SLOT_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error("the hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("every hashing slot stayed busy for {0:?}")]
    Busy(Duration),
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Runs CPU-heavy work on the blocking pool, keeping the caller's span.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, PasswordError> + Send + 'static,
) -> Result<T, PasswordError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        work()
    })
    .await?
}

/// PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    blocking(move || {
        let hash = hasher()?
            .hash_password(password.as_bytes())
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        Ok(hash.to_string())
    })
    .await
}

/// Whether a stored hash was made with weaker parameters (or another
/// algorithm) than today's, so that it is replaced at the next login.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let param = |name: &str| parsed.params.get_decimal(name).unwrap_or(0);
    parsed.algorithm.as_str() != "argon2id"
        || param("m") < MEMORY_KIB
        || param("t") < ITERATIONS
        || param("p") < PARALLELISM
}

thread_local! {
    /// Argon2's working memory, kept per blocking thread: allocating 19 MiB
    /// afresh for every verification costs page faults that make one check
    /// take up to 60% longer than the next, which would blur the equal timing
    /// of known and unknown accounts.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Recomputes the stored hash's output with its own parameters and salt, in
/// this thread's reused memory, and compares in constant time.
fn verify_in_place(password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&parsed),
        Algorithm::new(parsed.algorithm.as_str()),
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let expected: &[u8] = expected.as_ref();
    let mut computed = vec![0u8; expected.len()];
    let needed = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let hashed = BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        argon2
            .hash_password_into_with_memory(
                password,
                salt.as_ref(),
                &mut computed,
                &mut blocks[..needed],
            )
            .is_ok()
    });
    hashed && constant_time_eq(&computed, expected)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashing and verification for a node: at most `slots` run at once.
#[derive(Clone)]
pub struct PasswordService {
    slots: Arc<Semaphore>,
    dummy: Arc<OnceCell<String>>,
    /// Every argon2 verification run, known account or not (`/metrics`).
    verifications: prometheus_client::metrics::counter::Counter,
}

impl PasswordService {
    /// About two per core: enough to keep the cores busy, few enough that
    /// memory stays bounded (each verification holds 19 MiB).
    pub fn new(slots: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            dummy: Arc::new(OnceCell::new()),
            verifications: Default::default(),
        }
    }

    /// Counts verifications into `counter` (the node's metric).
    pub fn counting_into(mut self, counter: prometheus_client::metrics::counter::Counter) -> Self {
        self.verifications = counter;
        self
    }

    /// Verifications run so far.
    pub fn verifications(&self) -> u64 {
        self.verifications.get()
    }

    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(2 * cores)
    }

    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let _slot = self.slot().await?;
        hash_password(password).await
    }

    /// Checks `password` against `stored`; with no stored hash (unknown
    /// account) it verifies against a dummy hash of the same cost, so both
    /// answers take the same time.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, PasswordError> {
        let known = stored.is_some();
        let stored = match stored {
            Some(hash) => hash,
            None => self.dummy_hash().await?,
        };
        let _slot = self.slot().await?;
        let matches = blocking(move || Ok(verify_in_place(password.as_bytes(), &stored))).await?;
        self.verifications.inc();
        Ok(known && matches)
    }

    async fn dummy_hash(&self) -> Result<String, PasswordError> {
        self.dummy
            .get_or_try_init(|| async {
                let _slot = self.slot().await?;
                hash_password(format!("dummy-{}", rand::random::<u64>())).await
            })
            .await
            .cloned()
    }

    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, PasswordError> {
        match tokio::time::timeout(SLOT_WAIT, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(PasswordError::Busy(SLOT_WAIT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters part of a PHC string: `$argon2id$v=19$m=…,t=…,p=…$`.
    fn cost(phc: &str) -> String {
        phc.split('$').take(4).collect::<Vec<_>>().join("$")
    }

    #[test]
    fn an_unknown_account_runs_a_verification_of_the_same_cost() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let service = PasswordService::new(2);
            let known = hash_password("plum kettle orbit".to_owned())
                .await
                .expect("hash");
            let unknown = service.verify("guess".to_owned(), None).await;
            assert!(!unknown.expect("verified"), "never a match");
            let wrong = service
                .verify("guess".to_owned(), Some(known.clone()))
                .await;
            assert!(!wrong.expect("verified"));
            assert_eq!(service.verifications(), 2, "argon2 ran for both");
            let dummy = service.dummy_hash().await.expect("dummy");
            assert_eq!(cost(&dummy), cost(&known), "the same parameters");
            assert!(cost(&known).starts_with("$argon2id$v=19$m=19456,t=2,p=1"));
        });
    }

    #[test]
    fn verification_in_reused_memory_agrees_with_the_hash() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let stored = runtime
            .block_on(hash_password("plum kettle orbit".to_owned()))
            .expect("hash");
        assert!(verify_in_place(b"plum kettle orbit", &stored));
        assert!(!verify_in_place(b"plum kettle orbiT", &stored));
        assert!(!verify_in_place(
            b"plum kettle orbit",
            "$argon2id$v=19$m=19456,t=2,p=1$bad"
        ));
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).expect("params"),
        )
        .hash_password(b"old")
        .expect("hash")
        .to_string();
        assert!(
            verify_in_place(b"old", &weak),
            "older parameters still verify"
        );
    }

    #[test]
    fn weaker_parameters_need_a_rehash() {
        assert!(needs_rehash(
            "$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
        ));
        assert!(needs_rehash(
            "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
        ));
        assert!(!needs_rehash(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
        ));
        assert!(needs_rehash("not a hash"));
    }
}
