//! Connections to the three services, each failing fast with one clear line.
pub mod postgres;
pub mod redis;

use app::messaging::AmqpError;

use crate::config::ConfigError;

/// Why the server could not start. `Display` is the single line printed.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("PostgreSQL at {url} is unreachable: {reason}")]
    Postgres { url: String, reason: String },
    #[error("Redis at {url} is unreachable: {reason}")]
    Redis { url: String, reason: String },
    #[error(transparent)]
    Amqp(#[from] AmqpError),
    #[error("applying database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the SMS gateway client for {url} could not be built: {reason}")]
    Sms { url: String, reason: String },
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: String, reason: String },
}
