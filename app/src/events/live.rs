//! This node's live fan-out: every new inbox row is announced on the `live`
//! exchange; each node receives all of them on its own exclusive queue and
//! hands each to the streams of its user that are open on this node.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt;
use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::messaging::Amqp;
use crate::messaging::consume::run_consumer;
use crate::notifications::{LiveNotification, Notification};

/// Notifications a slow stream may fall behind by before it is told to reconnect
/// (and replays from the inbox).
const STREAM_BUFFER: usize = 16;

/// The streams open on this node, by user.
#[derive(Clone, Default)]
pub struct LiveHub {
    streams: Arc<Mutex<HashMap<i64, broadcast::Sender<Notification>>>>,
}

impl LiveHub {
    /// A receiver of the user's new notifications, for one open stream.
    pub fn subscribe(&self, user_id: i64) -> broadcast::Receiver<Notification> {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams
            .entry(user_id)
            .or_insert_with(|| broadcast::channel(STREAM_BUFFER).0)
            .subscribe()
    }

    /// Hands a notification to the user's open streams on this node.
    pub fn deliver(&self, live: LiveNotification) {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = streams.get(&live.user_id)
            && sender.send(live.notification).is_err()
        {
            // Nobody listens any more: forget the user.
            streams.remove(&live.user_id);
        }
    }

    /// Open streams on this node (a gauge for /metrics and the benchmark).
    pub fn open_streams(&self) -> usize {
        let streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams
            .values()
            .map(broadcast::Sender::receiver_count)
            .sum()
    }

    /// Receives every node's announcements until `shutdown`.
    pub async fn run(self, amqp: Amqp, shutdown: CancellationToken) {
        let exchange = amqp.topology().live_exchange();
        let subscribe = move |channel: Channel| {
            let exchange = exchange.clone();
            async move {
                let queue = channel
                    .queue_declare(
                        "".into(),
                        QueueDeclareOptions {
                            exclusive: true,
                            auto_delete: true,
                            ..QueueDeclareOptions::default()
                        },
                        FieldTable::default(),
                    )
                    .await?;
                channel
                    .queue_bind(
                        queue.name().clone(),
                        exchange.into(),
                        "".into(),
                        QueueBindOptions::default(),
                        FieldTable::default(),
                    )
                    .await?;
                channel
                    .basic_consume(
                        queue.name().clone(),
                        "live".into(),
                        BasicConsumeOptions {
                            no_ack: true,
                            ..BasicConsumeOptions::default()
                        },
                        FieldTable::default(),
                    )
                    .await
            }
            .boxed()
        };
        let hub = self.clone();
        run_consumer(amqp, shutdown, "live", subscribe, move |delivery| {
            let hub = hub.clone();
            async move {
                match serde_json::from_slice::<LiveNotification>(&delivery.data) {
                    Ok(live) => hub.deliver(live),
                    Err(error) => tracing::warn!(%error, "live: unreadable announcement"),
                }
            }
        })
        .await;
    }
}

/// Announces new inbox rows to every node (not persistent: a browser that
/// misses one gets it from the inbox when it reconnects).
pub async fn announce(
    channel: &Channel,
    exchange: &str,
    live: &[LiveNotification],
) -> Result<(), lapin::Error> {
    for item in live {
        let body = serde_json::to_vec(item).unwrap_or_default();
        channel
            .basic_publish(
                exchange.into(),
                "".into(),
                BasicPublishOptions::default(),
                &body,
                BasicProperties::default().with_content_type("application/json".into()),
            )
            .await?;
    }
    Ok(())
}
