//! The generic two-level cache (see the module docs).
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use fred::clients::Pool;
use fred::interfaces::KeysInterface;
use fred::types::{Expiration, SetOptions};
use moka::future::Cache;
use rand::Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::bus::{CacheBus, ForgetFuture, LocalInvalidation};
use super::envelope::{Envelope, now_ms};
use crate::metrics::{CacheLabels, Metrics};

pub type LoadFuture<V> = Pin<Box<dyn Future<Output = Result<Option<V>, sqlx::Error>> + Send>>;
/// Reads one value from PostgreSQL by key; `None` when it does not exist.
pub type Loader<V> = Arc<dyn Fn(String) -> LoadFuture<V> + Send + Sync>;

#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// Names the cache in keys, messages and metrics.
    pub name: &'static str,
    pub l1_ttl: Duration,
    pub l1_capacity: u64,
    /// Logical freshness of an L2 value; past it one reader rebuilds.
    pub fresh_for: Duration,
    /// Physical lifetime of an L2 value (stale values are served until then),
    /// stretched by up to `jitter` so that keys do not all expire together.
    pub keep_for: Duration,
    pub jitter: f64,
    /// How long "absent" is remembered for a missing id.
    pub absent_for: Duration,
    /// How long a rebuild may hold the Redis mutex.
    pub rebuild_lock: Duration,
}

pub struct TwoLevelCache<V> {
    inner: Arc<Inner<V>>,
}

impl<V> Clone for TwoLevelCache<V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

struct Inner<V> {
    settings: CacheSettings,
    prefix: String,
    l1: Cache<String, Arc<Envelope<V>>>,
    redis: Pool,
    bus: CacheBus,
    loader: Loader<V>,
    metrics: Arc<Metrics>,
}

impl<V> LocalInvalidation for Inner<V>
where
    V: Clone + Send + Sync + 'static,
{
    fn forget<'a>(&'a self, key: &'a str) -> ForgetFuture<'a> {
        Box::pin(self.l1.invalidate(key))
    }

    fn forget_all(&self) {
        self.l1.invalidate_all();
    }
}

impl<V> TwoLevelCache<V>
where
    V: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    pub fn new(
        settings: CacheSettings,
        prefix: &str,
        redis: Pool,
        bus: CacheBus,
        loader: Loader<V>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let l1 = Cache::builder()
            .max_capacity(settings.l1_capacity)
            .time_to_live(settings.l1_ttl)
            .build();
        let inner = Arc::new(Inner {
            settings,
            prefix: prefix.to_owned(),
            l1,
            redis,
            bus: bus.clone(),
            loader,
            metrics,
        });
        let as_dyn: Arc<dyn LocalInvalidation> = inner.clone();
        bus.register(inner.settings.name, Arc::downgrade(&as_dyn));
        Self { inner }
    }

    /// The value for `key`: L1, else L2, else PostgreSQL (filling both).
    pub async fn get(&self, key: &str) -> Result<Option<V>, sqlx::Error> {
        let inner = &self.inner;
        if let Some(envelope) = inner.l1.get(key).await {
            inner.count("l1", "hit");
            return Ok(envelope.value.clone());
        }
        inner.count("l1", "miss");
        let loaded = inner
            .l1
            .try_get_with(
                key.to_owned(),
                Inner::from_l2_or_db(inner.clone(), key.to_owned()),
            )
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("cache load failed: {e}")))?;
        Ok(loaded.value.clone())
    }

    /// After a write to PostgreSQL: drop the L2 value and every node's L1.
    pub async fn invalidate(&self, key: &str) {
        let inner = &self.inner;
        inner.l1.invalidate(key).await;
        if let Err(error) = inner.redis.del::<(), _>(inner.l2_key(key)).await {
            tracing::warn!(cache = inner.settings.name, error = %error, "could not delete an L2 entry");
        }
        if let Err(error) = inner.bus.publish(inner.settings.name, key).await {
            tracing::warn!(cache = inner.settings.name, error = %error, "could not broadcast an invalidation");
        }
    }

    /// The Redis key of `key`'s L2 value (tests look at it).
    pub fn l2_key(&self, key: &str) -> String {
        self.inner.l2_key(key)
    }
}

impl<V> Inner<V>
where
    V: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    fn count(&self, level: &'static str, outcome: &'static str) {
        self.metrics
            .cache_events
            .get_or_create(&CacheLabels {
                cache: self.settings.name,
                level,
                outcome,
            })
            .inc();
    }

    fn l2_key(&self, key: &str) -> String {
        format!("{}:cache:{}:{key}", self.prefix, self.settings.name)
    }

    fn lock_key(&self, key: &str) -> String {
        format!("{}:cache-lock:{}:{key}", self.prefix, self.settings.name)
    }

    async fn from_l2_or_db(
        self: Arc<Self>,
        key: String,
    ) -> Result<Arc<Envelope<V>>, Arc<sqlx::Error>> {
        match self.redis.get::<Option<String>, _>(self.l2_key(&key)).await {
            Ok(Some(json)) => match serde_json::from_str::<Envelope<V>>(&json) {
                Ok(envelope) if envelope.is_fresh() => {
                    self.count("l2", "hit");
                    return Ok(Arc::new(envelope));
                }
                Ok(stale) => {
                    self.count("l2", "stale");
                    self.clone().rebuild_in_background(key).await;
                    return Ok(Arc::new(stale));
                }
                Err(error) => {
                    tracing::warn!(cache = self.settings.name, error = %error, "unreadable L2 entry; reloading");
                }
            },
            Ok(None) => self.count("l2", "miss"),
            Err(error) => {
                self.count("l2", "error");
                tracing::warn!(cache = self.settings.name, error = %error, "Redis unavailable; reading PostgreSQL");
                return self.load(&key).await.map(Arc::new).map_err(Arc::new);
            }
        }
        let envelope = self.load(&key).await.map_err(Arc::new)?;
        self.store(&key, &envelope).await;
        Ok(Arc::new(envelope))
    }

    async fn load(&self, key: &str) -> Result<Envelope<V>, sqlx::Error> {
        self.count("db", "load");
        let value = (self.loader)(key.to_owned()).await?;
        let fresh_for = if value.is_some() {
            self.settings.fresh_for
        } else {
            self.settings.absent_for
        };
        Ok(Envelope {
            value,
            fresh_until_ms: now_ms() + i64::try_from(fresh_for.as_millis()).unwrap_or(i64::MAX / 4),
        })
    }

    async fn store(&self, key: &str, envelope: &Envelope<V>) {
        let keep = if envelope.value.is_some() {
            let stretch = 1.0 + rand::rng().random_range(0.0..=self.settings.jitter.max(0.0));
            self.settings.keep_for.mul_f64(stretch)
        } else {
            self.settings.absent_for
        };
        let Ok(json) = serde_json::to_string(envelope) else {
            return;
        };
        let expiry = Expiration::PX(
            i64::try_from(keep.as_millis())
                .unwrap_or(i64::MAX / 4)
                .max(1),
        );
        if let Err(error) = self
            .redis
            .set::<(), _, _>(self.l2_key(key), json, Some(expiry), None, false)
            .await
        {
            tracing::warn!(cache = self.settings.name, error = %error, "could not fill L2");
        }
    }

    /// Only the reader that takes the Redis mutex rebuilds; the others (on
    /// every node) keep serving the stale value meanwhile.
    async fn rebuild_in_background(self: Arc<Self>, key: String) {
        let lock_ms = i64::try_from(self.settings.rebuild_lock.as_millis()).unwrap_or(10_000);
        let taken = self
            .redis
            .set::<Option<String>, _, _>(
                self.lock_key(&key),
                "1",
                Some(Expiration::PX(lock_ms)),
                Some(SetOptions::NX),
                false,
            )
            .await;
        if !matches!(taken, Ok(Some(_))) {
            self.count("l2", "lock_busy");
            return;
        }
        self.count("l2", "rebuild");
        tokio::spawn(async move {
            match self.load(&key).await {
                Ok(envelope) => {
                    self.store(&key, &envelope).await;
                    self.l1.insert(key.clone(), Arc::new(envelope)).await;
                }
                Err(error) => {
                    tracing::warn!(cache = self.settings.name, error = %error, "rebuild failed; stale value kept")
                }
            }
            let _ = self.redis.del::<(), _>(self.lock_key(&key)).await;
        });
    }
}
