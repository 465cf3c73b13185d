//! Keeps one consumer running across broker restarts: waits for the node's
//! connection, opens a channel, subscribes, handles deliveries one by one,
//! and starts over whenever the channel or connection is lost.
use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use lapin::message::Delivery;
use lapin::{Channel, Consumer};
use tokio_util::sync::CancellationToken;

use super::Amqp;

const RETRY: Duration = Duration::from_secs(1);

pub async fn run_consumer<S, H, F>(
    amqp: Amqp,
    shutdown: CancellationToken,
    name: &'static str,
    subscribe: S,
    handle: H,
) where
    S: Fn(Channel) -> BoxFuture<'static, Result<Consumer, lapin::Error>>,
    H: Fn(Delivery) -> F,
    F: Future<Output = ()>,
{
    let mut connections = amqp.subscribe();
    loop {
        // Wait for a connection (the supervisor reconnects on its own).
        let connected = tokio::select! {
            () = shutdown.cancelled() => return,
            result = connections.wait_for(Option::is_some) => result.is_ok(),
        };
        if !connected {
            return; // The connection handle is gone: the node is stopping.
        }
        let subscribed = match amqp.channel().await {
            Ok(channel) => subscribe(channel.clone())
                .await
                .map(|consumer| (channel, consumer))
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        let (channel, mut consumer) = match subscribed {
            Ok(subscribed) => subscribed,
            Err(error) => {
                tracing::warn!(consumer = name, %error, "cannot subscribe; retrying");
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(RETRY) => continue,
                }
            }
        };
        tracing::info!(consumer = name, "consuming");
        loop {
            let next = tokio::select! {
                () = shutdown.cancelled() => {
                    close_quietly(&channel).await;
                    return;
                }
                next = consumer.next() => next,
            };
            match next {
                Some(Ok(delivery)) => handle(delivery).await,
                Some(Err(error)) => {
                    tracing::warn!(consumer = name, %error, "consumer stopped; resubscribing");
                    break;
                }
                None => break,
            }
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(RETRY) => {}
        }
    }
}

/// Closes a channel that is still open and waits (briefly) for the broker to
/// confirm. Dropped open, lapin closes a channel in the background, and a
/// connection closed at the same moment then logs a spurious connection error.
pub async fn close_quietly(channel: &Channel) {
    if channel.status().connected() {
        let closing = channel.close(200, "closing".into());
        let _ = tokio::time::timeout(Duration::from_secs(2), closing).await;
    }
}
