//! Settings, read once from the environment at start-up.
//!
//! Every value has a default that points at the local services, so a fresh
//! checkout runs with no configuration at all. Secrets stay in `SecretString`
//! and only their redacted URL is ever displayed.
use std::net::SocketAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::redact::redact_url;

mod security;

pub use security::{SecuritySettings, SmsSenderSettings};

pub const DEFAULT_DATABASE_URL: &str = "postgres://equipflow:equipflow@127.0.0.1:5432/equipflow";
pub const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";
pub const DEFAULT_AMQP_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";
pub const DEFAULT_DEMO_PASSWORD: &str = "equipflow-demo";

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name}={value:?}: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: String,
}

/// A service URL with its display form.
#[derive(Clone)]
pub struct ServiceUrl {
    secret: SecretString,
    display: String,
}

impl ServiceUrl {
    pub fn new(url: &str) -> Self {
        Self {
            secret: SecretString::from(url.to_owned()),
            display: redact_url(url),
        }
    }
    pub fn expose(&self) -> &str {
        self.secret.expose_secret()
    }
    pub fn display(&self) -> &str {
        &self.display
    }
}

impl std::fmt::Debug for ServiceUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: ServiceUrl,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub url: ServiceUrl,
    /// Prefix of every key this node writes (tests use a unique one).
    pub prefix: String,
    pub pool_size: usize,
    pub command_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct AmqpConfig {
    pub url: ServiceUrl,
    pub prefix: String,
    pub heartbeat_secs: u16,
    /// Deliveries the notification consumer may hold unacknowledged.
    pub prefetch: u16,
    /// Deliveries of one message before it is dead-lettered.
    pub delivery_limit: i32,
    /// The delay queues: each holds messages for exactly its duration.
    pub delay_tiers: Vec<app::messaging::DelayTier>,
    /// Remind leaders of requests pending this long.
    pub remind_pending_after: Duration,
    /// Remind borrowers this long after their loan's last day.
    pub remind_overdue_after: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub amqp: AmqpConfig,
    /// Bound on connecting to any service at start-up (and on reconnect tries).
    pub connect_timeout: Duration,
    pub demo_password: SecretString,
    pub log_format: LogFormat,
    pub security: SecuritySettings,
    /// How long a node reuses an equipment list's capped count (0: never).
    pub list_count_max_age: Duration,
    /// How often the statistics are recomputed (by one node at a time).
    pub statistics_every: Duration,
    /// Bounds on slow clients and slow requests.
    pub http_timeouts: crate::web::HttpTimeouts,
    /// The organisation's time zone (IANA name).
    pub time_zone: chrono_tz::Tz,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env { lookup: &lookup };
        let addr_default = env.string("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let redis_prefix = env.name_prefix("EQUIPFLOW_REDIS_PREFIX")?;
        Ok(Self {
            security: env.security(&redis_prefix)?,
            addr: env.parse("EQUIPFLOW_ADDR", &addr_default)?,
            database: DatabaseSettings {
                url: ServiceUrl::new(&env.string("DATABASE_URL", DEFAULT_DATABASE_URL)),
                max_connections: env.parse("EQUIPFLOW_DB_MAX_CONNECTIONS", "10")?,
                acquire_timeout: env.millis("EQUIPFLOW_DB_ACQUIRE_TIMEOUT_MS", "3000")?,
            },
            redis: RedisSettings {
                url: ServiceUrl::new(&env.string("REDIS_URL", DEFAULT_REDIS_URL)),
                prefix: redis_prefix,
                pool_size: env.parse("EQUIPFLOW_REDIS_POOL_SIZE", "4")?,
                command_timeout: env.millis("EQUIPFLOW_REDIS_TIMEOUT_MS", "2000")?,
            },
            amqp: AmqpConfig {
                url: ServiceUrl::new(&env.string("AMQP_URL", DEFAULT_AMQP_URL)),
                prefix: env.name_prefix("EQUIPFLOW_AMQP_PREFIX")?,
                heartbeat_secs: env.parse("EQUIPFLOW_AMQP_HEARTBEAT_SECS", "15")?,
                prefetch: env.parse("EQUIPFLOW_AMQP_PREFETCH", "32")?,
                delivery_limit: env.parse("EQUIPFLOW_AMQP_DELIVERY_LIMIT", "5")?,
                delay_tiers: env.delay_tiers("EQUIPFLOW_AMQP_DELAY_TIERS", "1m,15m,1h,1d")?,
                remind_pending_after: Duration::from_secs(
                    env.parse("EQUIPFLOW_REMIND_PENDING_AFTER_SECS", "86400")?,
                ),
                remind_overdue_after: Duration::from_secs(
                    env.parse("EQUIPFLOW_REMIND_OVERDUE_AFTER_SECS", "0")?,
                ),
            },
            connect_timeout: env.millis("EQUIPFLOW_CONNECT_TIMEOUT_MS", "5000")?,
            list_count_max_age: Duration::from_secs(
                env.parse("EQUIPFLOW_LIST_COUNT_MAX_AGE_SECS", "10")?,
            ),
            statistics_every: Duration::from_secs(
                env.parse::<u64>("EQUIPFLOW_STATISTICS_EVERY_SECS", "300")?
                    .max(1),
            ),
            time_zone: env.time_zone("EQUIPFLOW_TIME_ZONE", "Asia/Shanghai")?,
            http_timeouts: crate::web::HttpTimeouts {
                header_read: env.millis("EQUIPFLOW_HEADER_TIMEOUT_MS", "10000")?,
                body_idle: env.millis("EQUIPFLOW_BODY_TIMEOUT_MS", "10000")?,
                request: env.millis("EQUIPFLOW_REQUEST_TIMEOUT_MS", "30000")?,
            },
            demo_password: SecretString::from(
                env.string("EQUIPFLOW_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD),
            ),
            log_format: match env.string("EQUIPFLOW_LOG_FORMAT", "text").as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                other => {
                    return Err(env.invalid(
                        "EQUIPFLOW_LOG_FORMAT",
                        other,
                        "expected text or json",
                    ));
                }
            },
        })
    }
}

pub(crate) struct Env<'a, F: Fn(&str) -> Option<String>> {
    lookup: &'a F,
}

impl<F: Fn(&str) -> Option<String>> Env<'_, F> {
    fn string(&self, name: &str, default: &str) -> String {
        (self.lookup)(name)
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| default.to_owned())
    }

    fn parse<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        let raw = self.string(name, default);
        raw.trim()
            .parse()
            .map_err(|e: T::Err| self.invalid(name, &raw, &e.to_string()))
    }

    fn millis(&self, name: &'static str, default: &str) -> Result<Duration, ConfigError> {
        self.parse::<u64>(name, default).map(Duration::from_millis)
    }

    /// A comma-separated list of durations such as `30s,15m,1h,1d`.
    fn delay_tiers(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<Vec<app::messaging::DelayTier>, ConfigError> {
        let raw = self.string(name, default);
        raw.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|tier| {
                let (number, unit) = tier.split_at(tier.len().saturating_sub(1));
                let seconds = match unit {
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    "d" => 86_400,
                    _ => 0,
                };
                match number.parse::<u64>() {
                    Ok(n) if n > 0 && seconds > 0 => Ok(app::messaging::DelayTier {
                        name: tier.to_owned(),
                        ttl: Duration::from_secs(n * seconds),
                    }),
                    _ => Err(self.invalid(name, &raw, "expected durations like 30s,15m,1h,1d")),
                }
            })
            .collect()
    }

    /// Exchange, queue and key prefixes: short, and safe in every one of them.
    fn name_prefix(&self, name: &'static str) -> Result<String, ConfigError> {
        let raw = self.string(name, "equipflow");
        let ok = raw.len() <= 64
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(raw)
        } else {
            Err(self.invalid(name, &raw, "use at most 64 of A-Z a-z 0-9 - _"))
        }
    }

    fn time_zone(&self, name: &'static str, default: &str) -> Result<chrono_tz::Tz, ConfigError> {
        let raw = self.string(name, default);
        raw.trim().parse::<chrono_tz::Tz>().map_err(|_| {
            self.invalid(
                name,
                &raw,
                "expected an IANA time zone name such as Asia/Shanghai",
            )
        })
    }

    fn invalid(&self, name: &'static str, value: &str, reason: &str) -> ConfigError {
        ConfigError {
            name,
            value: value.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_point_at_local_services() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.database.url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(s.redis.url.expose(), DEFAULT_REDIS_URL);
        assert_eq!(s.amqp.url.expose(), DEFAULT_AMQP_URL);
        assert_eq!(s.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.database.acquire_timeout, Duration::from_secs(3));
    }

    #[test]
    fn secrets_are_never_displayed() {
        let s = settings(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]).expect("valid");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.database.url.display(), "postgres://u:***@db/x");
    }

    #[test]
    fn the_development_sms_outbox_is_refused_on_a_server_that_faces_users() {
        assert!(settings(&[("EQUIPFLOW_DEV_SMS_OUTBOX", "1")]).is_ok());
        for facing in [
            ("EQUIPFLOW_SECURE_COOKIES", "1"),
            ("EQUIPFLOW_PUBLIC_ORIGIN", "https://equip.example"),
        ] {
            let err = settings(&[("EQUIPFLOW_DEV_SMS_OUTBOX", "1"), facing]).expect_err("refused");
            assert_eq!(err.name, "EQUIPFLOW_DEV_SMS_OUTBOX", "{facing:?}");
            assert!(err.to_string().contains("faces users"), "{err}");
        }
    }

    #[test]
    fn the_time_zone_is_beijing_unless_named() {
        assert_eq!(
            settings(&[]).expect("valid").time_zone,
            chrono_tz::Asia::Shanghai
        );
        let berlin = settings(&[("EQUIPFLOW_TIME_ZONE", "Europe/Berlin")]).expect("valid");
        assert_eq!(berlin.time_zone, chrono_tz::Europe::Berlin);
        let err = settings(&[("EQUIPFLOW_TIME_ZONE", "Beijing")]).expect_err("unknown zone");
        assert_eq!(err.name, "EQUIPFLOW_TIME_ZONE");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = settings(&[("EQUIPFLOW_DB_MAX_CONNECTIONS", "many")]).expect_err("invalid");
        assert_eq!(err.name, "EQUIPFLOW_DB_MAX_CONNECTIONS");
        let err = settings(&[("EQUIPFLOW_REDIS_PREFIX", "a b")]).expect_err("invalid");
        assert_eq!(err.name, "EQUIPFLOW_REDIS_PREFIX");
        let err = settings(&[("EQUIPFLOW_AMQP_DELAY_TIERS", "1m,soon")]).expect_err("invalid");
        assert_eq!(err.name, "EQUIPFLOW_AMQP_DELAY_TIERS");
    }
}
