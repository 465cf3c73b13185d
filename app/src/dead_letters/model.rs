//! The dead-letter queue as admins see it.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub message_id: Option<String>,
    /// The routing key it was first published with.
    pub routing_key: String,
    /// The body as text (cut to a few hundred characters).
    pub body: String,
    /// From the broker's `x-death` header: why, from which queue, how often.
    pub reason: String,
    pub queue: String,
    pub deaths: i64,
    /// Why our consumer last failed on it, when it recorded that.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetters {
    pub count: u32,
    /// The oldest messages, up to the page's limit.
    pub messages: Vec<DeadLetter>,
}

/// Messages the page shows at most.
pub const DEAD_LETTERS_SHOWN: usize = 50;
