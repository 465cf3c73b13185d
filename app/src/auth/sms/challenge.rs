//! SMS sign-in challenges in Redis. A challenge is a random 128-bit id that
//! holds the phone, the hash of its code and a try counter, for 5 minutes.
//! Issuing and checking are Lua scripts: the caps and the try counter change
//! atomically with the code, so parallel guesses cannot exceed the limit.
//! Each script keeps to the keys of one hash tag (see `SmsKeys`).
use fred::prelude::*;
use fred::types::scripts::Script;
use rand::Rng;
use sha2::{Digest, Sha256};

use super::super::settings::AuthSettings;
use super::super::throttle::redis_unavailable;
use crate::error::{AppError, Limit};

/// KEYS: the phone's cooldown and daily count (one tag).
/// ARGV: cooldown ms, daily max.
/// Returns {code, ms}: 0 claimed, 1 cooldown, 2 daily cap.
const CLAIM_PHONE: &str = r#"
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return {1, ttl} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then
  return {2, redis.call('PTTL', KEYS[2])}
end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], 86400000) end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return {0, 0}
"#;

/// KEYS: the phone's cooldown and daily count. Undoes a claim whose code
/// was not sent after all (another cap refused it).
const RELEASE_PHONE: &str = r#"
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
"#;

/// KEYS: a volume counter. ARGV: max, window ms.
/// Returns {code, ms}: 0 counted, 3 full.
const COUNT_VOLUME: &str = r#"
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
  return {3, redis.call('PTTL', KEYS[1])}
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {0, 0}
"#;

/// KEYS: the new challenge. ARGV: phone, hash, ttl ms.
const CREATE: &str = r#"
redis.call('HSET', KEYS[1], 'phone', ARGV[1], 'hash', ARGV[2], 'tries', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0
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

/// The keys of SMS sign-in. Each script touches the keys of one tag only
/// (the phone's, the address's, the global counter, one challenge), so every
/// one of them works on a Redis Cluster.
struct SmsKeys<'a> {
    settings: &'a AuthSettings,
}

impl SmsKeys<'_> {
    fn phone(&self, phone: &str, name: &str) -> String {
        self.settings.tagged_key("sms", &format!("p:{phone}"), name)
    }

    fn address(&self, address: &str) -> String {
        self.settings
            .tagged_key("sms", &format!("addr:{address}"), "hourly")
    }

    fn global(&self) -> String {
        self.settings.tagged_key("sms", "global", "hourly")
    }

    fn challenge(&self, id: &str) -> String {
        self.settings
            .tagged_key("sms", &format!("c:{id}"), "challenge")
    }
}

async fn script<R: FromValue>(
    redis: &Pool,
    lua: &str,
    keys: Vec<String>,
    args: Vec<String>,
) -> Result<R, AppError> {
    Script::from_lua(lua)
        .evalsha_with_reload(redis.next(), keys, args)
        .await
        .map_err(redis_unavailable)
}

fn too_many(code: i64, ms: i64) -> AppError {
    AppError::TooManyRequests {
        limit: match code {
            1 => Limit::CodeCooldown,
            2 => Limit::CodeDaily,
            _ => Limit::CodeVolume,
        },
        retry_after_secs: u64::try_from(ms.max(1000)).unwrap_or(1000).div_ceil(1000),
    }
}

/// Issues a challenge: the phone's cooldown and daily cap first (claimed
/// atomically, so two parallel requests cannot both send), then the
/// address's and the global hourly volume; a refusal by either gives the
/// phone's claim back.
pub async fn issue(
    redis: &Pool,
    settings: &AuthSettings,
    request: IssueRequest<'_>,
) -> Result<(), AppError> {
    let limits = &settings.sms;
    let keys = SmsKeys { settings };
    let phone_keys = vec![
        keys.phone(request.phone, "cool"),
        keys.phone(request.phone, "day"),
    ];
    let (code, ms): (i64, i64) = script(
        redis,
        CLAIM_PHONE,
        phone_keys.clone(),
        vec![
            limits.cooldown.as_millis().to_string(),
            limits.daily_per_phone.to_string(),
        ],
    )
    .await?;
    if code != 0 {
        return Err(too_many(code, ms));
    }
    let hour = 3_600_000.to_string();
    let volumes = [
        (keys.address(request.address), limits.hourly_per_address),
        (keys.global(), limits.hourly_global),
    ];
    let mut counted = Vec::new();
    for (key, max) in volumes {
        let (code, ms): (i64, i64) = script(
            redis,
            COUNT_VOLUME,
            vec![key.clone()],
            vec![max.to_string(), hour.clone()],
        )
        .await?;
        if code != 0 {
            let _: i64 = script(redis, RELEASE_PHONE, phone_keys, Vec::new()).await?;
            for key in counted {
                redis.decr::<i64, _>(key).await.map_err(redis_unavailable)?;
            }
            return Err(too_many(code, ms));
        }
        counted.push(key);
    }
    let hash = match request.code {
        Some(code) => code_hash(request.challenge, code),
        None => format!("none:{}", new_challenge_id()),
    };
    let _: i64 = script(
        redis,
        CREATE,
        vec![keys.challenge(request.challenge)],
        vec![
            request.phone.to_owned(),
            hash,
            limits.code_ttl.as_millis().to_string(),
        ],
    )
    .await?;
    if let Some(previous) = request.previous.filter(|p| is_challenge_id(p)) {
        // A new code voids the one sent before it.
        redis
            .del::<i64, _>(keys.challenge(previous))
            .await
            .map_err(redis_unavailable)?;
    }
    Ok(())
}

/// The phone a challenge was issued for, while it lives.
pub async fn phone_of(
    redis: &Pool,
    settings: &AuthSettings,
    challenge: &str,
) -> Result<Option<String>, AppError> {
    if !is_challenge_id(challenge) {
        return Ok(None);
    }
    redis
        .hget(SmsKeys { settings }.challenge(challenge), "phone")
        .await
        .map_err(redis_unavailable)
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
    let (outcome, value): (i64, String) = script(
        redis,
        VERIFY,
        vec![SmsKeys { settings }.challenge(challenge)],
        vec![
            code_hash(challenge, code),
            settings.sms.max_attempts.to_string(),
        ],
    )
    .await?;
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
