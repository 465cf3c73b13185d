//! The inbox as the browser sees it.
use serde::{Deserialize, Serialize};

use crate::requests::RequestEvent;

/// One notification: `kind` is the event's routing key (`request.approved`,
/// `reminder.pending`, …) and `about` the request as the event saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub request_id: Option<i64>,
    pub about: RequestEvent,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of the inbox with the unread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// Id to pass as `before` for older ones.
    pub next: Option<i64>,
}

/// Unread notifications are counted up to this many: a count is read on every
/// page, and past 99 the bell says "99+" anyway.
pub const UNREAD_CAP: i64 = 100;

/// How the bell and the inbox show an unread count.
pub fn unread_badge(count: i64) -> String {
    if count >= UNREAD_CAP {
        format!("{}+", UNREAD_CAP - 1)
    } else {
        count.to_string()
    }
}

/// What the bell shows before the stream connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxSummary {
    pub unread: i64,
    pub latest_id: i64,
}

/// What the live stream sends for each new notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveNotification {
    pub user_id: i64,
    pub notification: Notification,
}
