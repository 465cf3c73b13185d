//! The browser's end of the live stream: one EventSource per tab, opened after
//! hydration, feeding the bell, the toast and any page that listens.
use leptos::prelude::*;

use crate::notifications::Notification;

/// Notifications that arrived live on this tab, newest last. Pages that show
/// something a notification changes (the approval queue) watch it.
#[derive(Clone, Copy)]
pub struct LiveFeed(pub RwSignal<Vec<Notification>>);

pub fn provide_live_feed() -> LiveFeed {
    let feed = LiveFeed(RwSignal::new(Vec::new()));
    provide_context(feed);
    feed
}

pub fn use_live_feed() -> Option<LiveFeed> {
    use_context::<LiveFeed>()
}

/// How many live notifications of these kinds this tab has received: a page
/// puts it in a resource's source, so what it shows follows what the toast
/// and the bell announce (a decision, a new request) without a reload.
pub fn live_count(
    kinds: &'static [&'static str],
) -> impl Fn() -> usize + Copy + Send + Sync + 'static {
    let feed = use_live_feed();
    move || {
        feed.map_or(0, |feed| {
            feed.0.with(|all| {
                all.iter()
                    .filter(|n| kinds.contains(&n.kind.as_str()))
                    .count()
            })
        })
    }
}

/// Opens `/api/notifications/stream?after=…` and pushes what arrives into the
/// feed. EventSource reconnects by itself and sends Last-Event-ID, so the
/// server replays what the tab missed meanwhile.
#[cfg(feature = "hydrate")]
pub fn connect(feed: LiveFeed, after: i64) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let url = format!("/api/notifications/stream?after={after}");
    let Ok(source) = web_sys::EventSource::new(&url) else {
        return;
    };
    let on_notification =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            if let Ok(notification) = serde_json::from_str::<Notification>(&data) {
                feed.0.update(|all| {
                    if !all.iter().any(|n| n.id == notification.id) {
                        all.push(notification);
                    }
                });
            }
        });
    let _ = source
        .add_event_listener_with_callback("notification", on_notification.as_ref().unchecked_ref());
    // The tab keeps the stream for its whole life: leak the handler and the
    // source on purpose rather than close the stream on a re-render.
    on_notification.forget();
    std::mem::forget(source);
}
