//! Prometheus metrics of one node, exported at `/metrics`.
//!
//! The registry lives in the app state rather than in a global, so two app
//! instances in one test process keep separate counters.
use prometheus_client::encoding::{EncodeLabelSet, text::encode};
use prometheus_client::metrics::{
    counter::Counter, family::Family, gauge::Gauge, histogram::Histogram,
};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: String,
    /// The matched route pattern, never the raw path (bounded cardinality).
    pub route: String,
    pub status: u16,
}

/// One cache event: which cache, which level (l1, l2, db) and what happened.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub cache: &'static str,
    pub level: &'static str,
    pub outcome: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_request_duration: Family<HttpLabels, Histogram>,
    pub amqp_connected: Gauge,
    pub amqp_blocked: Gauge,
    pub amqp_reconnects: Counter,
    pub cache_events: Family<CacheLabels, Counter>,
    pub password_verifications: Counter,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("equipflow");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests served",
            http_requests.clone(),
        );
        let http_request_duration = Family::<HttpLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to produce the response head",
            http_request_duration.clone(),
        );
        let amqp_connected = Gauge::default();
        registry.register(
            "amqp_connected",
            "1 while the RabbitMQ connection is up",
            amqp_connected.clone(),
        );
        let amqp_blocked = Gauge::default();
        registry.register(
            "amqp_blocked",
            "1 while the broker blocks publishing (resource alarm)",
            amqp_blocked.clone(),
        );
        let amqp_reconnects = Counter::default();
        registry.register(
            "amqp_reconnects",
            "RabbitMQ reconnections after a lost connection",
            amqp_reconnects.clone(),
        );
        let cache_events = Family::<CacheLabels, Counter>::default();
        registry.register(
            "cache_events",
            "Two-level cache events: hits, misses, stale reads, rebuilds, lock waits, errors",
            cache_events.clone(),
        );
        let password_verifications = Counter::default();
        registry.register(
            "password_verifications",
            "argon2 verifications (sign-ins, password changes; unknown accounts included)",
            password_verifications.clone(),
        );
        Self {
            registry,
            cache_events,
            password_verifications,
            http_requests,
            http_request_duration,
            amqp_connected,
            amqp_blocked,
            amqp_reconnects,
        }
    }

    /// The Prometheus / OpenMetrics text exposition of every metric.
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
