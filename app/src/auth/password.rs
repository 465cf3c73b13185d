//! Password hashing: argon2id with the OWASP-recommended parameters
//! (m = 19 MiB, t = 2, p = 1), always on a blocking thread.
use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};

/// Memory cost in KiB, iterations and lanes (OWASP Password Storage Cheat Sheet).
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error("the hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
/// CPU-heavy: runs on the blocking pool, never on an async worker.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    // Keep the caller's span (request id) on the blocking thread.
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let hash = hasher()?
            .hash_password(password.as_bytes())
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        Ok(hash.to_string())
    })
    .await?
}
