//! The notification consumer: turns each event into inbox rows, exactly once
//! per event however often it is delivered, then announces the rows live.
//!
//! A delivery is acknowledged only after its rows committed and were
//! announced. A failure of the system, not of the message (the database
//! busy or away, the broker refusing the announcement), is retried here with
//! a growing pause, the delivery held: requeueing it would spend one of its
//! tries, and a busy database during a broker outage would then dead-letter
//! good notifications. A failure of the message itself is recorded (for the
//! dead-letter page) and the message requeued; the quorum queue counts those
//! deliveries and dead-letters it after its `x-delivery-limit`, while other
//! messages keep flowing.
use std::sync::Arc;

use futures::FutureExt;
use lapin::Channel;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions, BasicRejectOptions,
};
use lapin::types::FieldTable;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::live;
use super::model::{
    ITEM_TAKEN, REQUEST_APPROVED, REQUEST_CANCELLED, REQUEST_REJECTED, REQUEST_SUBMITTED,
    RequestEvent,
};
use super::recipients;
use super::reminders;
use crate::cache::TwoLevelCache;
use crate::messaging::Amqp;
use crate::messaging::consume::{close_quietly, run_consumer};
use crate::notifications::{InboxSummary, LiveNotification, repo as inbox, summaries};

/// Name under which this consumer records processed messages and failures.
pub const CONSUMER: &str = "notifications";

#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// No transaction could be started or committed: the database is away
    /// or overloaded, whatever error the attempt happened to produce.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("unreadable event: {0}")]
    Unreadable(#[from] serde_json::Error),
    #[error("announcing: {0}")]
    Announce(String),
}

/// The first pause before a transient failure is retried, and the longest.
const RETRY_FIRST: std::time::Duration = std::time::Duration::from_millis(200);
const RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(5);

impl HandleError {
    /// A failure of the system rather than of the message: it will pass.
    pub fn is_transient(&self) -> bool {
        match self {
            HandleError::Database(error) => crate::error::is_transient_database_error(error),
            HandleError::Unavailable(_) | HandleError::Announce(_) => true,
            HandleError::Unreadable(_) => false,
        }
    }
}

#[derive(Clone)]
pub struct InboxWriter {
    pub db: PgPool,
    pub amqp: Amqp,
    /// Deliveries the broker may send ahead of acknowledgements.
    pub prefetch: u16,
    pub reminders: reminders::ReminderSettings,
    /// The channel announcements go out on, reopened after a failure.
    pub announcer: Arc<tokio::sync::Mutex<Option<Channel>>>,
    /// The bells of recipients, invalidated once their rows committed.
    pub summaries: TwoLevelCache<InboxSummary>,
}

impl InboxWriter {
    pub async fn run(self, shutdown: CancellationToken) {
        let queue = self.amqp.topology().notifications_queue();
        let prefetch = self.prefetch;
        let subscribe = move |channel: Channel| {
            let queue = queue.clone();
            async move {
                channel
                    .basic_qos(prefetch, BasicQosOptions::default())
                    .await?;
                channel
                    .basic_consume(
                        queue.into(),
                        CONSUMER.into(),
                        BasicConsumeOptions::default(),
                        FieldTable::default(),
                    )
                    .await
            }
            .boxed()
        };
        let writer = self.clone();
        let stop = shutdown.clone();
        run_consumer(
            self.amqp.clone(),
            shutdown,
            CONSUMER,
            subscribe,
            move |delivery| {
                let writer = writer.clone();
                let stop = stop.clone();
                async move { writer.on_delivery(delivery, &stop).await }
            },
        )
        .await;
        if let Some(channel) = self.announcer.lock().await.take() {
            close_quietly(&channel).await;
        }
    }

    async fn on_delivery(&self, delivery: Delivery, stop: &CancellationToken) {
        let message_id = delivery
            .properties
            .message_id()
            .as_ref()
            .and_then(|id| Uuid::parse_str(id.as_str()).ok());
        let Some(message_id) = message_id else {
            // Without an id it cannot be deduplicated: straight to the dead letters.
            tracing::warn!(routing_key = %delivery.routing_key, "event without a message id; dead-lettering");
            let _ = delivery.reject(BasicRejectOptions { requeue: false }).await;
            return;
        };
        let kind = delivery
            .properties
            .kind()
            .as_ref()
            .map_or_else(|| delivery.routing_key.to_string(), |k| k.to_string());
        let routing_key = delivery.routing_key.to_string();
        let mut pause = RETRY_FIRST;
        let outcome = loop {
            let result = self
                .handle(message_id, &routing_key, &kind, &delivery.data)
                .await;
            match result {
                Err(error) if error.is_transient() => {
                    // Held, not requeued: no try is spent on our own trouble.
                    // Given up only when the node stops or loses the broker
                    // (which then redelivers it on its own).
                    tracing::warn!(%error, %message_id, retry_in = ?pause, "event failed for now; retrying");
                    if !self.amqp.is_connected() {
                        return;
                    }
                    tokio::select! {
                        () = stop.cancelled() => return,
                        () = tokio::time::sleep(pause) => {}
                    }
                    pause = (pause * 2).min(RETRY_MAX);
                }
                other => break other,
            }
        };
        match outcome {
            Ok(()) => {
                if let Err(error) = delivery.ack(BasicAckOptions::default()).await {
                    tracing::warn!(%error, %message_id, "ack failed; the event will be redelivered");
                }
            }
            Err(error) => {
                tracing::warn!(%error, %message_id, "event failed; requeued");
                self.record_failure(message_id, &error.to_string()).await;
                let _ = delivery
                    .nack(BasicNackOptions {
                        requeue: true,
                        ..BasicNackOptions::default()
                    })
                    .await;
            }
        }
    }

    /// Writes the event's inbox rows (once) and announces them (every time:
    /// an announcement lost before the ack is repeated on redelivery).
    pub async fn handle(
        &self,
        message_id: Uuid,
        routing_key: &str,
        kind: &str,
        body: &[u8],
    ) -> Result<(), HandleError> {
        let mut tx = self.db.begin().await.map_err(HandleError::Unavailable)?;
        let first = sqlx::query(
            "INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(CONSUMER)
        .bind(message_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if first {
            if routing_key == crate::messaging::REMINDER_DUE {
                reminders::on_due(&mut tx, &self.reminders, message_id, kind, body).await?;
            } else {
                let event: RequestEvent = serde_json::from_slice(body)?;
                let recipients = match routing_key {
                    REQUEST_SUBMITTED | REQUEST_CANCELLED => {
                        recipients::responsible_leaders(
                            &mut tx,
                            event.department_id,
                            event.applicant_id,
                        )
                        .await?
                    }
                    REQUEST_APPROVED | REQUEST_REJECTED => vec![event.applicant_id],
                    _ => Vec::new(),
                };
                let payload = serde_json::to_value(&event)?;
                inbox::insert_for(
                    &mut tx,
                    message_id,
                    routing_key,
                    Some(event.request_id),
                    &payload,
                    &recipients,
                )
                .await?;
                if let Some(holder) = event
                    .displaced_holder_id
                    .filter(|_| routing_key == REQUEST_APPROVED)
                {
                    // The holder learns that the item left their hands, in
                    // words of their own (they did not file the request).
                    inbox::insert_for(
                        &mut tx,
                        message_id,
                        ITEM_TAKEN,
                        Some(event.request_id),
                        &payload,
                        &[holder],
                    )
                    .await?;
                }
                if routing_key == REQUEST_SUBMITTED {
                    reminders::schedule_pending(&mut tx, &self.reminders, &event).await?;
                }
                if routing_key == REQUEST_APPROVED {
                    reminders::schedule_overdue(&mut tx, &self.reminders, &event).await?;
                }
            }
        }
        tx.commit().await.map_err(HandleError::Unavailable)?;
        self.announce(message_id).await
    }

    async fn announce(&self, message_id: Uuid) -> Result<(), HandleError> {
        let rows = inbox::of_event(&self.db, message_id).await?;
        if rows.is_empty() {
            return Ok(());
        }
        // Before the announcement: a page loaded because of it shows the new count.
        for (user_id, _) in &rows {
            summaries::forget(&self.summaries, *user_id).await;
        }
        let live: Vec<LiveNotification> = rows
            .into_iter()
            .map(|(user_id, notification)| LiveNotification {
                user_id,
                notification,
            })
            .collect();
        let mut announcer = self.announcer.lock().await;
        let channel = match announcer.as_ref() {
            Some(channel) if channel.status().connected() => channel.clone(),
            _ => {
                let channel = self
                    .amqp
                    .channel()
                    .await
                    .map_err(|error| HandleError::Announce(error.to_string()))?;
                *announcer = Some(channel.clone());
                channel
            }
        };
        let exchange = self.amqp.topology().live_exchange();
        live::announce(&channel, &exchange, &live)
            .await
            .map_err(|error| HandleError::Announce(error.to_string()))
    }

    async fn record_failure(&self, message_id: Uuid, error: &str) {
        let result = sqlx::query(
            "INSERT INTO message_failures (consumer, message_id, error) VALUES ($1, $2, $3)
             ON CONFLICT (consumer, message_id)
             DO UPDATE SET error = EXCLUDED.error, failures = message_failures.failures + 1,
                           failed_at = now()",
        )
        .bind(CONSUMER)
        .bind(message_id)
        .bind(error)
        .execute(&self.db)
        .await;
        if let Err(error) = result {
            tracing::warn!(%error, "could not record a consumer failure");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_failing_is_retried_in_place_the_message_failing_is_not() {
        assert!(HandleError::Database(sqlx::Error::PoolTimedOut).is_transient());
        let protocol = sqlx::Error::Protocol("unexpected response from SSLRequest".into());
        assert!(
            HandleError::Unavailable(protocol).is_transient(),
            "whatever starting a transaction failed with"
        );
        assert!(HandleError::Announce("channel closed".into()).is_transient());
        let unreadable = serde_json::from_str::<u8>("not json").expect_err("unreadable");
        assert!(!HandleError::Unreadable(unreadable).is_transient());
        assert!(!HandleError::Database(sqlx::Error::RowNotFound).is_transient());
    }
}
