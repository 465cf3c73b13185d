//! What L2 stores for a key: the value (or "absent") and when it goes stale.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<V> {
    /// `None`: the id does not exist (cached briefly).
    pub value: Option<V>,
    /// Unix milliseconds after which a reader should trigger a rebuild.
    pub fresh_until_ms: i64,
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl<V> Envelope<V> {
    pub fn is_fresh(&self) -> bool {
        now_ms() < self.fresh_until_ms
    }
}
