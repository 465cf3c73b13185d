//! Cross-node L1 invalidation over Redis pub/sub. Each node holds one
//! subscriber connection; every cache registers its L1 here by name.
use std::collections::HashMap;
use std::sync::{Arc, RwLock, Weak};

use fred::clients::{Pool, SubscriberClient};
use fred::interfaces::{ClientLike, EventInterface, PubsubInterface};
use fred::types::Builder;

pub type ForgetFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// What the bus can do to a cache's L1.
pub trait LocalInvalidation: Send + Sync {
    fn forget<'a>(&'a self, key: &'a str) -> ForgetFuture<'a>;
    fn forget_all(&self);
}

/// Weak: a cache holds the bus (to publish), so strong references back would
/// keep every cache, and the database pool inside its loader, alive forever.
type Registry = Arc<RwLock<HashMap<String, Weak<dyn LocalInvalidation>>>>;

#[derive(Clone)]
pub struct CacheBus {
    channel: String,
    publisher: Pool,
    registry: Registry,
    subscriber: SubscriberClient,
}

impl CacheBus {
    /// Subscribes (with the pool's own Redis configuration) to
    /// `{prefix}:cache-invalidate`. After a reconnect every L1 is cleared:
    /// messages sent meanwhile were lost.
    pub async fn start(redis: &Pool, prefix: &str) -> Result<Self, fred::error::Error> {
        let client = redis.next();
        let subscriber = Builder::from_config(client.client_config())
            .with_connection_config(|c| *c = client.connection_config().clone())
            .with_performance_config(|p| *p = client.perf_config())
            .set_policy(client.client_reconnect_policy().unwrap_or_default())
            .build_subscriber_client()?;
        subscriber.init().await?;
        // Re-subscribes after every reconnect; the task lives as long as the client.
        drop(subscriber.manage_subscriptions());
        let channel = format!("{prefix}:cache-invalidate");
        subscriber.subscribe(channel.clone()).await?;
        let registry: Registry = Arc::default();
        spawn_listener(&subscriber, registry.clone());
        Ok(Self {
            channel,
            publisher: redis.clone(),
            registry,
            subscriber,
        })
    }

    pub fn register(&self, name: &str, cache: Weak<dyn LocalInvalidation>) {
        if let Ok(mut registry) = self.registry.write() {
            registry.insert(name.to_owned(), cache);
        }
    }

    /// Tells every node (this one included) to drop `name`/`key` from L1.
    pub async fn publish(&self, name: &str, key: &str) -> Result<(), fred::error::Error> {
        self.publisher
            .next()
            .publish::<(), _, _>(self.channel.clone(), format!("{name}\n{key}"))
            .await
    }

    pub async fn stop(&self) {
        let _ = self.subscriber.quit().await;
    }
}

fn spawn_listener(subscriber: &SubscriberClient, registry: Registry) {
    let mut messages = subscriber.message_rx();
    let forget = registry.clone();
    tokio::spawn(async move {
        while let Ok(message) = messages.recv().await {
            let Some(text) = message.value.as_string() else {
                continue;
            };
            let Some((name, key)) = text.split_once('\n') else {
                continue;
            };
            let cache = forget
                .read()
                .ok()
                .and_then(|r| r.get(name).and_then(Weak::upgrade));
            if let Some(cache) = cache {
                cache.forget(key).await;
            }
        }
    });
    let mut reconnects = subscriber.reconnect_rx();
    tokio::spawn(async move {
        while reconnects.recv().await.is_ok() {
            tracing::warn!("cache invalidation channel reconnected; clearing every L1");
            let caches: Vec<_> = registry
                .read()
                .map(|r| r.values().filter_map(Weak::upgrade).collect())
                .unwrap_or_default();
            for cache in caches {
                cache.forget_all();
            }
        }
    });
}
