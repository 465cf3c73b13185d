//! Brute-force defence for sign-in, with counters in Redis so that every node
//! sees the same numbers.
//!
//! Two kinds of counter, each in its own key space:
//! - a *subject*: an account (password sign-in, password change) or a phone
//!   (SMS-code sign-in). Its failures slow down, then lock, that subject only.
//!   Accounts and phones are tagged differently (`{a:…}`, `{p:…}`), so no
//!   username can reach a phone's counters, nor the other way round.
//! - a client *address*: its failures within a window, so that spraying
//!   passwords from one address is expensive while an office behind one NAT,
//!   signing in correctly, is never locked out.
//!
//! Each step is one Lua script over the keys of one hash tag (one Redis
//! Cluster slot), so the check-and-count is atomic and works on standalone
//! Redis, Sentinel and Cluster alike.
use fred::prelude::*;
use fred::types::scripts::Script;

use super::settings::AuthSettings;
use crate::error::{AppError, Limit};

/// KEYS: lock, slow, hourly failures. ARGV: hourly max.
/// Returns {code, ms}: 0 ok, 1 locked, 2 slow down, 3 hourly cap.
const CHECK_SUBJECT: &str = r#"
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return {1, ttl} end
local hourly = tonumber(redis.call('GET', KEYS[3]) or '0')
if hourly >= tonumber(ARGV[1]) then return {3, redis.call('PTTL', KEYS[3])} end
ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {2, ttl} end
return {0, 0}
"#;

/// KEYS: lock, slow, window failures, hourly failures.
/// ARGV: slow_after, lock_after, window ms, lock ms.
/// Returns the failures in the current window.
const FAIL_SUBJECT: &str = r#"
local n = redis.call('INCR', KEYS[3])
if n == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
local h = redis.call('INCR', KEYS[4])
if h == 1 then redis.call('PEXPIRE', KEYS[4], 3600000) end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[4])
  redis.call('DEL', KEYS[3], KEYS[2])
elseif n >= tonumber(ARGV[1]) then
  local delay = math.min(1000 * 2 ^ (n - tonumber(ARGV[1])), 60000)
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(delay))
end
return n
"#;

/// KEYS: the address's failures. ARGV: max failures.
/// Returns {code, ms}: 0 ok, 4 too many failures from the address.
const CHECK_ADDRESS: &str = r#"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return {4, redis.call('PTTL', KEYS[1])} end
return {0, 0}
"#;

/// KEYS: the address's failures. ARGV: window ms.
const FAIL_ADDRESS: &str = r#"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"#;

/// Whose failures are counted.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// An account name as typed (compared case- and space-insensitively).
    Account(&'a str),
    /// A phone number, normalised.
    Phone(&'a str),
}

impl Subject<'_> {
    fn tag(&self) -> String {
        match self {
            Subject::Account(account) => format!("a:{}", account.trim().to_lowercase()),
            Subject::Phone(phone) => format!("p:{phone}"),
        }
    }
}

/// The keys of one subject: one hash tag, so one slot.
struct SubjectKeys {
    lock: String,
    slow: String,
    window: String,
    hourly: String,
}

impl SubjectKeys {
    fn new(settings: &AuthSettings, subject: Subject<'_>) -> Self {
        let tag = subject.tag();
        let key = |name: &str| settings.tagged_key("login", &tag, name);
        Self {
            lock: key("lock"),
            slow: key("slow"),
            window: key("fail15"),
            hourly: key("fail60"),
        }
    }
}

fn address_key(settings: &AuthSettings, address: &str) -> String {
    settings.tagged_key("login", &format!("addr:{address}"), "failures")
}

/// Refuses a sign-in attempt from `address` for `subject` when a limit is
/// reached (nothing is verified then, so it costs nothing).
pub async fn admit(
    redis: &Pool,
    settings: &AuthSettings,
    subject: Subject<'_>,
    address: &str,
) -> Result<(), AppError> {
    admit_address(redis, settings, address).await?;
    admit_subject(redis, settings, subject).await
}

/// Refuses when `address` failed too often lately.
pub async fn admit_address(
    redis: &Pool,
    settings: &AuthSettings,
    address: &str,
) -> Result<(), AppError> {
    let (code, ms): (i64, i64) = Script::from_lua(CHECK_ADDRESS)
        .evalsha_with_reload(
            redis.next(),
            vec![address_key(settings, address)],
            vec![settings.login.address_failures.to_string()],
        )
        .await
        .map_err(redis_unavailable)?;
    refusal(code, ms)
}

/// Refuses when `subject` is locked, slowed down or over its hourly cap.
pub async fn admit_subject(
    redis: &Pool,
    settings: &AuthSettings,
    subject: Subject<'_>,
) -> Result<(), AppError> {
    let keys = SubjectKeys::new(settings, subject);
    let (code, ms): (i64, i64) = Script::from_lua(CHECK_SUBJECT)
        .evalsha_with_reload(
            redis.next(),
            vec![keys.lock, keys.slow, keys.hourly],
            vec![settings.login.hourly_failures.to_string()],
        )
        .await
        .map_err(redis_unavailable)?;
    if code == 1 {
        tracing::warn!(target: "auth", subject = %subject.tag(), "sign-in refused: temporarily locked");
    }
    refusal(code, ms)
}

fn refusal(code: i64, ms: i64) -> Result<(), AppError> {
    let limit = match code {
        0 => return Ok(()),
        1 | 3 => Limit::AccountLocked,
        2 => Limit::SlowDown,
        _ => Limit::AddressAttempts,
    };
    Err(AppError::TooManyRequests {
        limit,
        retry_after_secs: retry_secs(ms),
    })
}

/// Records a failed secret for `subject`, tried from `address`.
pub async fn record_failure(
    redis: &Pool,
    settings: &AuthSettings,
    subject: Subject<'_>,
    address: &str,
) -> Result<(), AppError> {
    let limits = &settings.login;
    let _: i64 = Script::from_lua(FAIL_ADDRESS)
        .evalsha_with_reload(
            redis.next(),
            vec![address_key(settings, address)],
            vec![limits.window.as_millis().to_string()],
        )
        .await
        .map_err(redis_unavailable)?;
    let keys = SubjectKeys::new(settings, subject);
    let failures: i64 = Script::from_lua(FAIL_SUBJECT)
        .evalsha_with_reload(
            redis.next(),
            vec![keys.lock, keys.slow, keys.window, keys.hourly],
            vec![
                limits.slow_after.to_string(),
                limits.lock_after.to_string(),
                limits.window.as_millis().to_string(),
                limits.lock_for.as_millis().to_string(),
            ],
        )
        .await
        .map_err(redis_unavailable)?;
    if failures >= i64::from(limits.lock_after) {
        tracing::warn!(target: "auth", subject = %subject.tag(), failures, "locked after failed sign-ins");
    }
    Ok(())
}

/// A success clears the subject's window (the hourly count stays).
pub async fn record_success(
    redis: &Pool,
    settings: &AuthSettings,
    subject: Subject<'_>,
) -> Result<(), AppError> {
    let keys = SubjectKeys::new(settings, subject);
    // Both keys carry the subject's tag: one slot, so one DEL is fine on a cluster.
    redis
        .del::<(), _>(vec![keys.window, keys.slow])
        .await
        .map_err(redis_unavailable)
}

fn retry_secs(ms: i64) -> u64 {
    u64::try_from(ms.max(1000)).unwrap_or(1000).div_ceil(1000)
}

pub(crate) fn redis_unavailable(error: fred::error::Error) -> AppError {
    tracing::warn!(error = %error, "redis unavailable during sign-in");
    AppError::Unavailable
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The part of a key Redis Cluster hashes: between the first `{` and the next `}`.
    fn hash_tag(key: &str) -> &str {
        let open = key.find('{').expect("a tag");
        let close = key[open..].find('}').expect("closed") + open;
        &key[open + 1..close]
    }

    #[test]
    fn the_keys_of_one_subject_share_a_slot_and_no_username_reaches_a_phone() {
        let settings = AuthSettings::new("ef");
        let keys = SubjectKeys::new(&settings, Subject::Account(" SMS "));
        for key in [&keys.lock, &keys.slow, &keys.window, &keys.hourly] {
            assert_eq!(hash_tag(key), "a:sms");
        }
        let phone = SubjectKeys::new(&settings, Subject::Phone("+8613800000001"));
        assert_eq!(hash_tag(&phone.lock), "p:+8613800000001");
        for name in ["p:+8613800000001", "{p:+8613800000001}", "x}{p:+86"] {
            let account = SubjectKeys::new(&settings, Subject::Account(name));
            assert_ne!(account.lock, phone.lock, "{name}");
            assert!(hash_tag(&account.lock).starts_with("a:"), "{name}");
        }
    }
}
