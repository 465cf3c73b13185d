//! The outbox relay: publishes committed events to RabbitMQ and marks each row
//! published only after the broker confirmed it.
//!
//! - Several nodes run it at once: each batch is claimed with `FOR UPDATE SKIP
//!   LOCKED`, so a row is published by one node at a time.
//! - Publishes are persistent and `mandatory`; an unroutable event comes back
//!   (`basic.return`, which the broker still confirms) and counts as a failure,
//!   as does a nack: the row stays unpublished and is retried after a pause.
//! - It wakes on `NOTIFY outbox_new` (sent on commit) and polls as a fallback.
//! - While the broker blocks the connection (memory or disk alarm) or it is
//!   down, it waits; rows keep accumulating and drain after recovery.
//! - The message id is the event id: consumers deduplicate on it, which makes
//!   the rare double publish (confirm received, commit lost) harmless.
use std::time::Duration;

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Channel, Confirmation};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::messaging::Amqp;
use crate::messaging::consume::close_quietly;

/// PostgreSQL channel the outbox trigger notifies on commit.
const WAKE_CHANNEL: &str = "outbox_new";

#[derive(Debug, Clone)]
pub struct RelaySettings {
    /// Rows claimed and published per transaction.
    pub batch: i64,
    /// Fallback poll when no NOTIFY arrives (a lost listener connection).
    pub poll: Duration,
    /// Pause before a refused row is tried again.
    pub retry_after: Duration,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            batch: 200,
            poll: Duration::from_secs(1),
            retry_after: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("outbox: {0}")]
    Database(#[from] sqlx::Error),
    #[error("publishing: {0}")]
    Broker(String),
}

#[derive(sqlx::FromRow)]
struct Pending {
    id: Uuid,
    routing_key: String,
    payload: serde_json::Value,
    delay_tier: Option<String>,
}

pub struct Relay {
    db: PgPool,
    amqp: Amqp,
    settings: RelaySettings,
    channel: Option<Channel>,
}

impl Relay {
    pub fn new(db: PgPool, amqp: Amqp, settings: RelaySettings) -> Self {
        Self {
            db,
            amqp,
            settings,
            channel: None,
        }
    }

    /// Runs until `shutdown`.
    pub async fn run(mut self, shutdown: CancellationToken) {
        let mut listener = None;
        let mut backoff = Duration::from_millis(100);
        loop {
            if shutdown.is_cancelled() {
                self.reset_channel().await;
                return;
            }
            if listener.is_none() {
                listener = listen(&self.db).await;
            }
            if !self.amqp.is_connected() || self.amqp.is_blocked() {
                self.reset_channel().await;
                sleep_or_cancel(&shutdown, self.settings.poll).await;
                continue;
            }
            match self.relay_batch().await {
                Ok(published) => {
                    backoff = Duration::from_millis(100);
                    if published >= self.settings.batch {
                        continue; // More are probably waiting.
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "outbox relay failed; retrying");
                    self.reset_channel().await;
                    sleep_or_cancel(&shutdown, backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                    continue;
                }
            }
            // Idle: wait for a commit's NOTIFY or the poll interval.
            let wake = async {
                match listener.as_mut() {
                    Some(l) => l.recv().await.map(drop),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => {
                    self.reset_channel().await;
                    return;
                }
                result = wake => if let Err(error) = result {
                    tracing::warn!(%error, "outbox listener lost; polling until it is back");
                    listener = None;
                },
                () = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// Claims, publishes and marks one batch; returns how many rows it claimed.
    pub async fn relay_batch(&mut self) -> Result<i64, RelayError> {
        let channel = self.channel().await?;
        let mut tx = self.db.begin().await?;
        let rows: Vec<Pending> = sqlx::query_as(
            "SELECT id, routing_key, payload, delay_tier FROM outbox
              WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
              ORDER BY created_at, id
              LIMIT $1
                FOR UPDATE SKIP LOCKED",
        )
        .bind(self.settings.batch)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let topology = self.amqp.topology();
        // Publish the whole batch, then collect the confirms: one round trip, not one per row.
        let mut confirms = Vec::with_capacity(rows.len());
        for row in &rows {
            let body = serde_json::to_vec(&row.payload)
                .map_err(|error| RelayError::Broker(error.to_string()))?;
            let (exchange, key) = match &row.delay_tier {
                Some(tier) => (topology.delay_exchange(), tier.clone()),
                None => (topology.events_exchange(), row.routing_key.clone()),
            };
            let confirm = channel
                .basic_publish(
                    exchange.into(),
                    key.into(),
                    BasicPublishOptions {
                        mandatory: true,
                        ..BasicPublishOptions::default()
                    },
                    &body,
                    properties(row),
                )
                .await
                .map_err(|error| RelayError::Broker(error.to_string()))?;
            confirms.push((row.id, confirm));
        }
        let mut published = Vec::new();
        let mut refused = Vec::new();
        for (id, confirm) in confirms {
            match confirm.await {
                Ok(Confirmation::Ack(None)) => published.push(id),
                Ok(Confirmation::Ack(Some(_))) => refused.push((id, "unroutable".to_owned())),
                Ok(Confirmation::Nack(_)) => refused.push((id, "nacked by the broker".to_owned())),
                Ok(Confirmation::NotRequested) => {
                    return Err(RelayError::Broker("publisher confirms are off".into()));
                }
                Err(error) => return Err(RelayError::Broker(error.to_string())),
            }
        }
        sqlx::query("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
            .bind(&published)
            .execute(&mut *tx)
            .await?;
        if !refused.is_empty() {
            let (ids, errors): (Vec<Uuid>, Vec<String>) = refused.into_iter().unzip();
            tracing::warn!(
                count = ids.len(),
                "outbox: the broker refused events; will retry"
            );
            sqlx::query(
                "UPDATE outbox o
                    SET attempts = attempts + 1, last_error = f.error,
                        next_attempt_at = now() + $3 * interval '1 millisecond'
                   FROM UNNEST($1::uuid[], $2::text[]) AS f(id, error)
                  WHERE o.id = f.id",
            )
            .bind(&ids)
            .bind(&errors)
            .bind(i64::try_from(self.settings.retry_after.as_millis()).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
    }

    /// Lets go of the channel, closing it first if it is still open: dropped
    /// open, lapin closes it in the background, and should the broker close it
    /// at the same moment lapin takes the clash for a connection error and
    /// drops the whole connection.
    async fn reset_channel(&mut self) {
        if let Some(channel) = self.channel.take() {
            close_quietly(&channel).await;
        }
    }

    /// The relay's confirm-mode channel, opened again after a failure.
    async fn channel(&mut self) -> Result<Channel, RelayError> {
        if let Some(channel) = &self.channel
            && channel.status().connected()
        {
            return Ok(channel.clone());
        }
        let channel = self
            .amqp
            .channel()
            .await
            .map_err(|error| RelayError::Broker(error.to_string()))?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .map_err(|error| RelayError::Broker(error.to_string()))?;
        self.channel = Some(channel.clone());
        Ok(channel)
    }
}

fn properties(row: &Pending) -> BasicProperties {
    BasicProperties::default()
        .with_message_id(row.id.to_string().into())
        .with_content_type("application/json".into())
        .with_delivery_mode(2) // persistent
        .with_type(row.routing_key.clone().into())
        .with_timestamp(u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0))
}

async fn listen(db: &PgPool) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(db).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "outbox listener: cannot connect; polling");
            return None;
        }
    };
    match listener.listen(WAKE_CHANNEL).await {
        Ok(()) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "outbox listener: LISTEN failed; polling");
            None
        }
    }
}

async fn sleep_or_cancel(shutdown: &CancellationToken, pause: Duration) {
    tokio::select! {
        () = shutdown.cancelled() => {}
        () = tokio::time::sleep(pause) => {}
    }
}
