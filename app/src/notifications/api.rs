//! Server functions of the inbox: the user's own notifications only.
use leptos::prelude::*;

use super::model::{Inbox, InboxSummary};
use crate::error::AppError;

/// Notifications per inbox page.
pub const INBOX_PAGE: i64 = 30;

#[server(prefix = "/api/rpc", endpoint = "notifications/inbox")]
pub async fn load_inbox(before: Option<i64>) -> Result<Inbox, AppError> {
    let user = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    let (mut items, unread) = tokio::try_join!(
        super::repo::page(&state.db, user.id, before, INBOX_PAGE + 1),
        super::repo::unread(&state.db, user.id)
    )?;
    let more = items.len() > usize::try_from(INBOX_PAGE).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(INBOX_PAGE).unwrap_or(usize::MAX));
    let next = more.then(|| items.last().map(|n| n.id)).flatten();
    Ok(Inbox {
        items,
        unread,
        next,
    })
}

/// The bell: unread count, and the newest id (a stream starts after it).
#[server(prefix = "/api/rpc", endpoint = "notifications/summary")]
pub async fn load_inbox_summary() -> Result<InboxSummary, AppError> {
    let user = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    Ok(super::summaries::read(&state.inbox_summaries, user.id).await?)
}

/// Marks one notification (`id`) or all of them read; returns the unread count.
#[server(prefix = "/api/rpc", endpoint = "notifications/mark-read")]
pub async fn mark_read(id: Option<i64>) -> Result<i64, AppError> {
    let user = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    if super::repo::mark_read(&state.db, user.id, id).await? > 0 {
        super::summaries::forget(&state.inbox_summaries, user.id).await;
    }
    Ok(super::repo::unread(&state.db, user.id).await?)
}
