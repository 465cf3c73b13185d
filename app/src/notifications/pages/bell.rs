//! The bell in the header (unread count, live) and the toast that announces
//! a new notification on whatever page the user is.
//!
//! Their state lives above the routes (`provide_notifications`), so that the
//! live feed reaches every page and the summary resource has a stable place
//! for hydration.
use leptos::prelude::*;

use super::live::{LiveFeed, provide_live_feed, use_live_feed};
use super::text::notification_text;
use crate::error::AppError;
use crate::i18n::*;
use crate::notifications::{InboxSummary, load_inbox_summary, unread_badge};
use crate::pages::boxed_fetch;

/// The unread count shown by the bell; the inbox page sets it after marking read.
#[derive(Clone, Copy)]
pub struct UnreadCount(pub RwSignal<i64>);

pub fn use_unread_count() -> Option<UnreadCount> {
    use_context::<UnreadCount>()
}

#[derive(Clone, Copy)]
struct SummaryResource(Resource<Result<InboxSummary, AppError>>);

/// How long a toast stays; it never holds anything the inbox does not.
const TOAST_MS: u64 = 8000;

/// The live feed, the unread count and the bell's summary, for the whole app.
/// Anonymous visitors get an error from the summary and no bell.
pub fn provide_notifications() {
    let feed = provide_live_feed();
    let unread = UnreadCount(RwSignal::new(0));
    provide_context(unread);
    let summary = Resource::new(|| (), |_| boxed_fetch(load_inbox_summary()));
    provide_context(SummaryResource(summary));
    // Count what arrives live on top of what the page was rendered with.
    let seen = StoredValue::new(0_usize);
    Effect::new(move |_| {
        let arrived = feed.0.with(Vec::len);
        let new = arrived.saturating_sub(seen.get_value());
        seen.set_value(arrived);
        if new > 0 {
            unread.0.update(|n| *n += i64::try_from(new).unwrap_or(0));
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let connected = StoredValue::new(false);
        Effect::new(move |_| {
            if let Some(Ok(summary)) = summary.get()
                && !connected.get_value()
            {
                connected.set_value(true);
                super::live::connect(feed, summary.latest_id);
            }
        });
    }
}

#[component]
pub fn Bell() -> impl IntoView {
    let Some(SummaryResource(summary)) = use_context::<SummaryResource>() else {
        return ().into_any();
    };
    let Some(unread) = use_unread_count() else {
        return ().into_any();
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                summary.await.ok().map(|s| view! { <BellLink base=s.unread unread /> })
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn BellLink(base: i64, unread: UnreadCount) -> impl IntoView {
    let i18n = use_i18n();
    // The count the page was rendered with; live arrivals add to it.
    unread.0.set(base);
    let label = move || {
        td_string!(
            i18n.get_locale(),
            bell_label,
            count = unread_badge(unread.0.get())
        )
        .to_string()
    };
    view! {
        <a class="bell" href="/notifications" aria-label=label title=label data-testid="bell">
            <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.1 17h13.8a1 1 0 0 0 .8-1.6L18 12.6V9a6 6 0 0 0-6-6Zm0 19a3 3 0 0 0 2.8-2h-5.6A3 3 0 0 0 12 22Z" fill="currentColor" />
            </svg>
            <Show when=move || { unread.0.get() > 0 }>
                <span class="bell-count" data-testid="bell-count">{move || unread_badge(unread.0.get())}</span>
            </Show>
        </a>
    }
}

/// The newest live notification for a few seconds, read out by screen readers.
#[component]
pub fn Toast() -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(None::<(i64, String)>);
    let feed: Option<LiveFeed> = use_live_feed();
    Effect::new(move |_| {
        let Some(latest) = feed.and_then(|f| f.0.with(|all| all.last().cloned())) else {
            return;
        };
        let text = notification_text(i18n.get_locale_untracked(), &latest);
        shown.set(Some((latest.id, text)));
        let id = latest.id;
        set_timeout(
            move || {
                if shown.with_untracked(|s| s.as_ref().map(|(i, _)| *i)) == Some(id) {
                    shown.set(None);
                }
            },
            std::time::Duration::from_millis(TOAST_MS),
        );
    });
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || shown.get().map(|(_, text)| view! {
                <div class="toast" data-testid="toast">
                    <span>{text}</span>
                    <a href="/notifications">{t!(i18n, toast_open_inbox)}</a>
                </div>
            })}
        </div>
    }
}
