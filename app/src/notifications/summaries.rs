//! The bell's figures through the two-level cache: every page renders the
//! bell, so reading it must not be a query per render.
use super::model::InboxSummary;
use crate::cache::TwoLevelCache;

fn key(user_id: i64) -> String {
    user_id.to_string()
}

/// The user's unread count and newest notification id.
pub async fn read(
    cache: &TwoLevelCache<InboxSummary>,
    user_id: i64,
) -> Result<InboxSummary, sqlx::Error> {
    Ok(cache.get(&key(user_id)).await?.unwrap_or(InboxSummary {
        unread: 0,
        latest_id: 0,
    }))
}

/// After the user's inbox changed (rows added, rows marked read).
pub async fn forget(cache: &TwoLevelCache<InboxSummary>, user_id: i64) {
    cache.invalidate(&key(user_id)).await;
}
