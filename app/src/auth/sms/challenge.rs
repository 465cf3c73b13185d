//! SMS sign-in challenges in Redis. A challenge is a random 128-bit id that
//! holds the phone, the hash of its code and a try counter, for 5 minutes.
//! Issuing and checking are Lua scripts: the caps and the try counter change
//! atomically with the code, so parallel guesses cannot exceed the limit.
use fred::prelude::*;
use fred::types::scripts::Script;
use rand::Rng;
use sha2::{Digest, Sha256};

use super::super::settings::AuthSettings;
use super::super::throttle::redis_unavailable;
use crate::error::{AppError, Limit};

/// KEYS: cooldown, daily, address, global, new challenge, previous challenge.
/// ARGV: cooldown ms, daily max, address max, global max, ttl ms, phone, hash.
/// Returns {code, ms}: 0 issued, 1 cooldown, 2 daily cap, 3 address or global cap.
const ISSUE: &str = r#"
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return {1, ttl} end
local function full(key, max)
  return tonumber(redis.call('GET', key) or '0') >= tonumber(max)
end
if full(KEYS[2], ARGV[2]) then return {2, redis.call('PTTL', KEYS[2])} end
if full(KEYS[3], ARGV[3]) then return {3, redis.call('PTTL', KEYS[3])} end
if full(KEYS[4], ARGV[4]) then return {3, redis.call('PTTL', KEYS[4])} end
local function count(key, ms)
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ms) end
end
count(KEYS[2], 86400000)
count(KEYS[3], 3600000)
count(KEYS[4], 3600000)
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('DEL', KEYS[6])
redis.call('HSET', KEYS[5], 'phone', ARGV[6], 'hash', ARGV[7], 'tries', 0)
redis.call('PEXPIRE', KEYS[5], ARGV[5])
return {0, 0}
"#;

/// KEYS: challenge. ARGV: hash of the offered code, max tries.
/// Returns {code, value}: 0 gone, 1 match (value = phone), 2 wrong (value =
/// tries left), 3 wrong and now void. A match or the last try deletes it.
const VERIFY: &str = r#"
local stored = redis.call('HMGET', KEYS[1], 'phone', 'hash')
if not stored[1] then return {0, ''} end
if stored[2] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1, stored[1]}
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
local left = tonumber(ARGV[2]) - tries
if left <= 0 then
  redis.call('DEL', KEYS[1])
  return {3, '0'}
end
return {2, tostring(left)}
"#;

/// A fresh 6-digit code from the operating system's CSPRNG.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// A fresh challenge id: 128 random bits, hex.
pub fn new_challenge_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Challenge ids are exactly what `new_challenge_id` makes.
pub fn is_challenge_id(value: &str) -> bool {
    value.len() == 32
        && value
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Only the hash is stored; salted with the challenge so that a code is
/// worth nothing outside the challenge that issued it.
pub fn code_hash(challenge: &str, code: &str) -> String {
    let digest = Sha256::digest(format!("{challenge}:{code}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What issuing needs to know about the request.
pub struct IssueRequest<'a> {
    pub phone: &'a str,
    pub address: &'a str,
    pub challenge: &'a str,
    pub previous: Option<&'a str>,
    /// `None` for an unknown phone: the challenge exists but nothing matches.
    pub code: Option<&'a str>,
}

pub async fn issue(
    redis: &Pool,
    settings: &AuthSettings,
    request: IssueRequest<'_>,
) -> Result<(), AppError> {
    let limits = &settings.sms;
    let key = |kind: &str, id: &str| settings.key(&["sms", kind, id]);
    let hash = match request.code {
        Some(code) => code_hash(request.challenge, code),
        None => format!("none:{}", new_challenge_id()),
    };
    let previous = request
        .previous
        .filter(|p| is_challenge_id(p))
        .unwrap_or("none");
    let (code, ms): (i64, i64) = Script::from_lua(ISSUE)
        .evalsha_with_reload(
            redis.next(),
            vec![
                key("cool", request.phone),
                key("day", request.phone),
                key("addr", request.address),
                settings.key(&["sms", "global"]),
                key("challenge", request.challenge),
                key("challenge", previous),
            ],
            vec![
                limits.cooldown.as_millis().to_string(),
                limits.daily_per_phone.to_string(),
                limits.hourly_per_address.to_string(),
                limits.hourly_global.to_string(),
                limits.code_ttl.as_millis().to_string(),
                request.phone.to_owned(),
                hash,
            ],
        )
        .await
        .map_err(redis_unavailable)?;
    let limit = match code {
        0 => return Ok(()),
        1 => Limit::CodeCooldown,
        2 => Limit::CodeDaily,
        _ => Limit::CodeVolume,
    };
    Err(AppError::TooManyRequests {
        limit,
        retry_after_secs: u64::try_from(ms.max(1000)).unwrap_or(1000).div_ceil(1000),
    })
}

/// Checks `code` against `challenge`; on success returns the phone it was sent to.
pub async fn verify(
    redis: &Pool,
    settings: &AuthSettings,
    challenge: &str,
    code: &str,
) -> Result<String, AppError> {
    if !is_challenge_id(challenge) {
        return Err(AppError::CodeExpired);
    }
    let (outcome, value): (i64, String) = Script::from_lua(VERIFY)
        .evalsha_with_reload(
            redis.next(),
            vec![settings.key(&["sms", "challenge", challenge])],
            vec![
                code_hash(challenge, code),
                settings.sms.max_attempts.to_string(),
            ],
        )
        .await
        .map_err(redis_unavailable)?;
    match outcome {
        1 => Ok(value),
        2 => Err(AppError::WrongCode {
            attempts_left: value.parse().unwrap_or(0),
        }),
        _ => Err(AppError::CodeExpired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_ids_128_bits() {
        for _ in 0..1000 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        let id = new_challenge_id();
        assert!(is_challenge_id(&id));
        assert_ne!(id, new_challenge_id());
        assert!(!is_challenge_id("../../etc"));
    }

    #[test]
    fn a_code_hash_depends_on_its_challenge() {
        assert_ne!(code_hash("a", "123456"), code_hash("b", "123456"));
        assert_eq!(code_hash("a", "123456").len(), 64);
    }
}
