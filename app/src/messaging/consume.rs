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
        let consumer = match amqp.channel().await {
            Ok(channel) => subscribe(channel).await.map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        let mut consumer = match consumer {
            Ok(consumer) => consumer,
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
                () = shutdown.cancelled() => return,
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
