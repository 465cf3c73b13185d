//! The Redis pool (fred), with bounded timeouts and endless reconnects.
//!
//! fred waits forever for a reply and does not reconnect unless told to: every
//! command here times out, and a lost connection is retried with capped
//! exponential backoff while commands fail fast instead of hanging.
use std::time::Duration;

use fred::prelude::*;
use fred::types::config::{ReconnectPolicy, TcpConfig};

use super::StartupError;
use crate::config::RedisSettings;

pub async fn connect(
    settings: &RedisSettings,
    connect_timeout: Duration,
) -> Result<Pool, StartupError> {
    let failed = |reason: String| StartupError::Redis {
        url: settings.url.display().to_owned(),
        reason,
    };
    let mut config = Config::from_url(settings.url.expose())
        .map_err(|e| failed(format!("invalid REDIS_URL ({e})")))?;
    // Refuse to start when Redis is not there, rather than retrying silently.
    config.fail_fast = true;
    let command_timeout = settings.command_timeout;
    let pool = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = connect_timeout;
            c.internal_command_timeout = command_timeout;
            c.max_command_attempts = 2;
            c.tcp = TcpConfig {
                nodelay: Some(true),
                ..TcpConfig::default()
            };
        })
        .with_performance_config(|p| {
            p.default_command_timeout = command_timeout;
        })
        // 0 = retry forever; 100 ms doubling up to 10 s.
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 10_000, 2))
        .build_pool(settings.pool_size)
        .map_err(|e| failed(e.to_string()))?;
    let ready = async {
        pool.init().await?;
        pool.ping::<()>(None).await
    };
    match tokio::time::timeout(connect_timeout, ready).await {
        Ok(Ok(())) => Ok(pool),
        // fail_fast: the clients have already stopped, nothing to quit.
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(_) => {
            let _ = pool.quit().await;
            Err(failed(format!(
                "no answer within {} s",
                connect_timeout.as_secs()
            )))
        }
    }
}
