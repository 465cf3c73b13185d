//! The PostgreSQL pool and the embedded migrations.
use std::str::FromStr;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::StartupError;
use crate::config::DatabaseSettings;

/// Every migration under `migrations/`, compiled into the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Opens the pool and proves it with one connection, within `connect_timeout`.
pub async fn connect(
    settings: &DatabaseSettings,
    connect_timeout: Duration,
) -> Result<PgPool, StartupError> {
    let failed = |reason: String| StartupError::Postgres {
        url: settings.url.display().to_owned(),
        reason,
    };
    let options = PgConnectOptions::from_str(settings.url.expose())
        .map_err(|e| failed(format!("invalid DATABASE_URL ({e})")))?
        .application_name("equipflow");
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .connect_lazy_with(options);
    match tokio::time::timeout(connect_timeout, pool.acquire()).await {
        Ok(Ok(_connection)) => Ok(pool),
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(_) => Err(failed(format!(
            "no answer within {} s",
            connect_timeout.as_secs()
        ))),
    }
}

/// Applies pending migrations; already applied ones are skipped.
pub async fn migrate(pool: &PgPool) -> Result<(), StartupError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}
