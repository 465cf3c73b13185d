//! Sign-in knobs of a node, read once at start-up (defaults follow OWASP ASVS
//! 5.0 and NIST SP 800-63B; tests lower or raise them).
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Prefix of every Redis key this node writes (shared by all nodes).
    pub redis_prefix: String,
    /// Idle expiry: a session unused this long is gone.
    pub idle_timeout: Duration,
    /// Absolute limit from sign-in, and the same with "remember me".
    pub absolute_timeout: Duration,
    pub remember_timeout: Duration,
    pub login: LoginLimits,
    pub sms: SmsLimits,
    /// Proxies in front of the node whose `X-Forwarded-For` entries are trusted.
    pub trusted_proxy_hops: usize,
    /// Keep the latest development SMS codes for `/dev/sms`.
    pub dev_sms_outbox: bool,
}

/// Brute-force limits for passwords (per account and per client address).
#[derive(Debug, Clone)]
pub struct LoginLimits {
    /// Failures (within `window`) after which each try must wait, doubling from 1 s.
    pub slow_after: u32,
    /// Failures within `window` that lock the account for `lock_for`.
    pub lock_after: u32,
    pub window: Duration,
    pub lock_for: Duration,
    /// Failures per account per hour, whatever the window says.
    pub hourly_failures: u32,
    /// Failed sign-ins (password or code) per client address within `window`;
    /// successes are not counted, so many people behind one address who
    /// sign in correctly are never refused.
    pub address_failures: u32,
}

/// SMS-code limits: lifetime, resend cooldown, caps against SMS pumping.
#[derive(Debug, Clone)]
pub struct SmsLimits {
    pub code_ttl: Duration,
    pub max_attempts: u32,
    pub cooldown: Duration,
    pub daily_per_phone: u32,
    pub hourly_per_address: u32,
    pub hourly_global: u32,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            slow_after: 5,
            lock_after: 10,
            window: Duration::from_secs(15 * 60),
            lock_for: Duration::from_secs(15 * 60),
            hourly_failures: 100,
            address_failures: 50,
        }
    }
}

impl Default for SmsLimits {
    fn default() -> Self {
        Self {
            code_ttl: Duration::from_secs(300),
            max_attempts: 5,
            cooldown: Duration::from_secs(60),
            daily_per_phone: 10,
            hourly_per_address: 5,
            hourly_global: 1000,
        }
    }
}

impl AuthSettings {
    pub fn new(redis_prefix: impl Into<String>) -> Self {
        Self {
            redis_prefix: redis_prefix.into(),
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            remember_timeout: Duration::from_secs(7 * 24 * 3600),
            login: LoginLimits::default(),
            sms: SmsLimits::default(),
            trusted_proxy_hops: 0,
            dev_sms_outbox: false,
        }
    }

    /// A Redis key in this deployment's namespace.
    pub fn key(&self, parts: &[&str]) -> String {
        let mut key = self.redis_prefix.clone();
        for part in parts {
            key.push(':');
            key.push_str(part);
        }
        key
    }

    /// `prefix:scope:{tag}:name`: keys with the same `tag` share a Redis
    /// Cluster slot, so one script may touch them all. Braces and `%` inside
    /// the tag are escaped: user input cannot end the tag early or make two
    /// different tags equal.
    pub fn tagged_key(&self, scope: &str, tag: &str, name: &str) -> String {
        let tag = tag
            .replace('%', "%25")
            .replace('{', "%7B")
            .replace('}', "%7D");
        format!("{}:{scope}:{{{tag}}}:{name}", self.redis_prefix)
    }
}
