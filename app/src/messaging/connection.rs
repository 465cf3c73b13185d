//! One supervised RabbitMQ connection per node.
//!
//! lapin does not reconnect by itself (its recovery gives up after a bounded
//! number of tries), so a supervisor task watches the connection's events and,
//! when it is lost, reconnects with capped exponential backoff — for as long as
//! it takes — and re-declares the topology before handing the new connection
//! to everybody who follows [`Amqp::subscribe`].
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use lapin::{Channel, Connection, ConnectionProperties, Event};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::Topology;
use crate::metrics::Metrics;

/// How to reach the broker. `display_url` is the URL with its password hidden,
/// the only form that may appear in logs and error messages.
#[derive(Clone)]
pub struct AmqpSettings {
    pub url: String,
    pub display_url: String,
    pub connect_timeout: Duration,
    /// Seconds between heartbeats; a dead peer is noticed after about two.
    pub heartbeat_secs: u16,
    pub connection_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AmqpError {
    #[error("RabbitMQ at {url} is unreachable: {source}")]
    Unreachable { url: String, source: lapin::Error },
    #[error("RabbitMQ at {url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("declaring the RabbitMQ topology failed: {0}")]
    Topology(lapin::Error),
    #[error("RabbitMQ is not connected")]
    NotConnected,
    #[error("opening a RabbitMQ channel failed: {0}")]
    Channel(lapin::Error),
}

/// Cheap to clone handle on the node's connection.
#[derive(Clone)]
pub struct Amqp {
    inner: Arc<Inner>,
}

struct Inner {
    settings: AmqpSettings,
    topology: Topology,
    metrics: Arc<Metrics>,
    current: watch::Sender<Option<Arc<Connection>>>,
    blocked: AtomicBool,
    shutdown: CancellationToken,
}

const MAX_BACKOFF: Duration = Duration::from_secs(30);
const STATUS_POLL: Duration = Duration::from_secs(2);

impl Amqp {
    /// Connects and declares the topology, failing fast if the broker is not
    /// there; then keeps the connection alive in the background.
    pub async fn connect(
        settings: AmqpSettings,
        topology: Topology,
        metrics: Arc<Metrics>,
    ) -> Result<Self, AmqpError> {
        let connection = open(&settings, &topology).await?;
        let (current, _) = watch::channel(None);
        let amqp = Self {
            inner: Arc::new(Inner {
                settings,
                topology,
                metrics,
                current,
                blocked: AtomicBool::new(false),
                shutdown: CancellationToken::new(),
            }),
        };
        amqp.install(connection);
        tokio::spawn(supervise(amqp.clone()));
        Ok(amqp)
    }

    pub fn topology(&self) -> &Topology {
        &self.inner.topology
    }

    /// True while the connection is up (as far as the client knows).
    pub fn is_connected(&self) -> bool {
        self.inner
            .current
            .borrow()
            .as_ref()
            .is_some_and(|c| c.status().connected())
    }

    /// True while the broker refuses publishes (memory or disk alarm).
    pub fn is_blocked(&self) -> bool {
        self.inner.blocked.load(Ordering::Relaxed)
    }

    /// Follows the connection: `Some` after each (re)connect, `None` while lost.
    /// Consumers use it to re-subscribe after a broker restart.
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<Connection>>> {
        self.inner.current.subscribe()
    }

    /// A new channel on the current connection.
    pub async fn channel(&self) -> Result<Channel, AmqpError> {
        let connection = self.inner.current.borrow().clone();
        let connection = connection.ok_or(AmqpError::NotConnected)?;
        let timeout = self.inner.settings.connect_timeout;
        match tokio::time::timeout(timeout, connection.create_channel()).await {
            Ok(result) => result.map_err(AmqpError::Channel),
            Err(_) => Err(AmqpError::NotConnected),
        }
    }

    /// Round trip to the broker: opens and closes a channel.
    pub async fn ping(&self) -> Result<(), AmqpError> {
        let channel = self.channel().await?;
        channel
            .close(200, "ping".into())
            .await
            .map_err(AmqpError::Channel)
    }

    /// Stops the supervisor and closes the connection cleanly.
    pub async fn close(&self) {
        self.inner.shutdown.cancel();
        let connection = self.inner.current.send_replace(None);
        if let Some(connection) = connection
            && connection.status().connected()
        {
            let _ = connection.close(200, "shutdown".into()).await;
        }
        self.inner.metrics.amqp_connected.set(0);
    }

    fn install(&self, connection: Connection) {
        self.inner.blocked.store(false, Ordering::Relaxed);
        self.inner.metrics.amqp_blocked.set(0);
        self.inner.current.send_replace(Some(Arc::new(connection)));
        self.inner.metrics.amqp_connected.set(1);
    }

    fn set_blocked(&self, blocked: bool) {
        self.inner.blocked.store(blocked, Ordering::Relaxed);
        self.inner.metrics.amqp_blocked.set(i64::from(blocked));
    }
}

/// Connects (bounded by the timeout) and declares the topology on a fresh channel.
async fn open(settings: &AmqpSettings, topology: &Topology) -> Result<Connection, AmqpError> {
    let url = with_connection_defaults(
        &settings.url,
        settings.heartbeat_secs,
        settings.connect_timeout,
    );
    let properties = ConnectionProperties::default()
        .with_connection_name(settings.connection_name.clone().into());
    let connection = match tokio::time::timeout(
        settings.connect_timeout,
        Connection::connect(&url, properties),
    )
    .await
    {
        Ok(Ok(connection)) => connection,
        Ok(Err(source)) => {
            return Err(AmqpError::Unreachable {
                url: settings.display_url.clone(),
                source,
            });
        }
        Err(_) => {
            return Err(AmqpError::Timeout {
                url: settings.display_url.clone(),
                secs: settings.connect_timeout.as_secs(),
            });
        }
    };
    let channel = connection
        .create_channel()
        .await
        .map_err(AmqpError::Channel)?;
    topology
        .declare(&channel)
        .await
        .map_err(AmqpError::Topology)?;
    let _ = channel.close(200, "topology declared".into()).await;
    Ok(connection)
}

/// Adds a heartbeat and a connection timeout unless the URL sets its own.
fn with_connection_defaults(url: &str, heartbeat_secs: u16, timeout: Duration) -> String {
    let mut url = url.to_owned();
    for (key, value) in [
        ("heartbeat", heartbeat_secs.to_string()),
        ("connection_timeout", timeout.as_millis().to_string()),
    ] {
        if !url.contains(&format!("{key}=")) {
            let separator = if url.contains('?') { '&' } else { '?' };
            url = format!("{url}{separator}{key}={value}");
        }
    }
    url
}

async fn supervise(amqp: Amqp) {
    let shutdown = amqp.inner.shutdown.clone();
    loop {
        let connection = amqp.inner.current.borrow().clone();
        if let Some(connection) = connection {
            watch_until_lost(&amqp, &connection, &shutdown).await;
        }
        if shutdown.is_cancelled() {
            return;
        }
        amqp.inner.current.send_replace(None);
        amqp.inner.metrics.amqp_connected.set(0);
        tracing::warn!(url = %amqp.inner.settings.display_url, "RabbitMQ connection lost; reconnecting");
        match reconnect(&amqp, &shutdown).await {
            Some(connection) => {
                amqp.inner.metrics.amqp_reconnects.inc();
                amqp.install(connection);
                tracing::info!(url = %amqp.inner.settings.display_url, "RabbitMQ reconnected; topology re-declared");
            }
            None => return,
        }
    }
}

/// Returns when the connection errors, stops being connected, or on shutdown.
async fn watch_until_lost(amqp: &Amqp, connection: &Connection, shutdown: &CancellationToken) {
    let mut events = Box::pin(connection.events_listener());
    let mut poll = tokio::time::interval(STATUS_POLL);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            event = events.next() => match event {
                // lapin reports a channel the broker closed (a refused
                // declare, say) on the connection's events too: only a
                // connection that is no longer up is lost. Abandoning a live
                // one would leave its consumers running on it, unwatched.
                Some(Event::Error(error)) if connection.status().connected() => {
                    tracing::warn!(error = %error, "RabbitMQ closed a channel; the connection stays");
                }
                Some(Event::Error(error)) => {
                    tracing::warn!(error = %error, "RabbitMQ connection error");
                    return;
                }
                Some(Event::ConnectionBlocked(reason)) => {
                    tracing::warn!(%reason, "RabbitMQ blocked the connection");
                    amqp.set_blocked(true);
                }
                Some(Event::ConnectionUnblocked) => amqp.set_blocked(false),
                Some(_) => {}
                None => return,
            },
            _ = poll.tick() => {
                if !connection.status().connected() {
                    return;
                }
            }
        }
    }
}

/// Retries until connected (Some) or shut down (None).
async fn reconnect(amqp: &Amqp, shutdown: &CancellationToken) -> Option<Connection> {
    let mut delay = Duration::from_millis(200);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return None,
            result = open(&amqp.inner.settings, &amqp.inner.topology) => match result {
                Ok(connection) => return Some(connection),
                Err(error) => tracing::warn!(error = %error, retry_in_ms = delay.as_millis() as u64, "RabbitMQ reconnect failed"),
            },
        }
        tokio::select! {
            () = shutdown.cancelled() => return None,
            () = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(MAX_BACKOFF);
    }
}
