//! The inbox: what users are told, its live stream and the bell.
mod api;
mod model;
mod pages;

pub use api::{
    INBOX_PAGE, LoadInbox, LoadInboxSummary, MarkRead, load_inbox, load_inbox_summary, mark_read,
};
pub use model::{Inbox, InboxSummary, LiveNotification, Notification, UNREAD_CAP, unread_badge};
pub use pages::{
    Bell, LiveFeed, NotificationsPage, Toast, UnreadCount, live_count, notification_text,
    provide_notifications, use_live_feed, use_unread_count,
};

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod summaries;
