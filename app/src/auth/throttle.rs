//! Brute-force defence for sign-in, with counters in Redis so that every node
//! sees the same numbers. Each step is one Lua script: the check-and-count is
//! atomic, so parallel attempts cannot slip past a limit.
use fred::prelude::*;
use fred::types::scripts::Script;

use super::settings::AuthSettings;
use crate::error::{AppError, Limit};

/// KEYS: lock, slow, hourly failures, address counter.
/// ARGV: hourly max, address max per minute.
/// Returns {code, ms}: 0 ok, 1 locked, 2 slow down, 3 hourly cap, 4 address.
const CHECK: &str = r#"
local n = redis.call('INCR', KEYS[4])
if n == 1 then redis.call('PEXPIRE', KEYS[4], 60000) end
if n > tonumber(ARGV[2]) then return {4, redis.call('PTTL', KEYS[4])} end
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
const FAIL: &str = r#"
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

/// Keys of one account and one client address.
struct Keys {
    lock: String,
    slow: String,
    window: String,
    hourly: String,
    address: String,
}

impl Keys {
    fn new(settings: &AuthSettings, account: &str, address: &str) -> Self {
        let account = account.trim().to_lowercase();
        let key = |kind: &str, id: &str| settings.key(&["login", kind, id]);
        Self {
            lock: key("lock", &account),
            slow: key("slow", &account),
            window: key("fail15", &account),
            hourly: key("fail60", &account),
            address: key("addr", address),
        }
    }
}

/// Counts one sign-in attempt for `account` from `address` and refuses it
/// when a limit is reached (nothing is verified then, so it costs nothing).
pub async fn admit(
    redis: &Pool,
    settings: &AuthSettings,
    account: &str,
    address: &str,
) -> Result<(), AppError> {
    let keys = Keys::new(settings, account, address);
    let limits = &settings.login;
    let (code, ms): (i64, i64) = Script::from_lua(CHECK)
        .evalsha_with_reload(
            redis.next(),
            vec![keys.lock, keys.slow, keys.hourly, keys.address],
            vec![
                limits.hourly_failures.to_string(),
                limits.address_per_minute.to_string(),
            ],
        )
        .await
        .map_err(redis_unavailable)?;
    let limit = match code {
        0 => return Ok(()),
        1 | 3 => Limit::AccountLocked,
        2 => Limit::SlowDown,
        _ => Limit::AddressAttempts,
    };
    if limit == Limit::AccountLocked {
        tracing::warn!(target: "auth", account = %account, "sign-in refused: account temporarily locked");
    }
    Err(AppError::TooManyRequests {
        limit,
        retry_after_secs: retry_secs(ms),
    })
}

/// Records a failed password for `account`.
pub async fn record_failure(
    redis: &Pool,
    settings: &AuthSettings,
    account: &str,
) -> Result<(), AppError> {
    let keys = Keys::new(settings, account, "-");
    let limits = &settings.login;
    let failures: i64 = Script::from_lua(FAIL)
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
        tracing::warn!(target: "auth", account = %account, failures, "account locked after failed passwords");
    }
    Ok(())
}

/// A successful sign-in clears the window (the hourly count stays).
pub async fn record_success(
    redis: &Pool,
    settings: &AuthSettings,
    account: &str,
) -> Result<(), AppError> {
    let keys = Keys::new(settings, account, "-");
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
