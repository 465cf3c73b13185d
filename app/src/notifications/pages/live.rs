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
