//! The bell, the toast, the live stream's browser end and the inbox page.
mod bell;
mod inbox;
mod live;
mod text;

pub use bell::{Bell, Toast, UnreadCount, provide_notifications, use_unread_count};
pub use inbox::NotificationsPage;
pub use live::{LiveFeed, live_count, use_live_feed};
pub use text::notification_text;
