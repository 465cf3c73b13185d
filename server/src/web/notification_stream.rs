//! `GET /api/notifications/stream`: the signed-in user's new notifications as
//! Server-Sent Events, on every tab they have open.
//!
//! A stream first replays what the browser missed — after its `Last-Event-ID`
//! (sent by EventSource on reconnect) or the `after` the page rendered with —
//! from the inbox, then follows this node's live fan-out. It subscribes before
//! replaying, so nothing falls between the two; ids already sent are skipped.
//! Heartbeats keep proxies from closing it; it ends when the session no longer
//! stands (signed out elsewhere, disabled, expired), and the browser's retry
//! then gets a 401.
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use app::auth::Role;
use app::auth::guard::{self, RequestAuth};
use app::auth::session;
use app::notifications::{Notification, repo as inbox};
use app::state::AppState;
use axum::extract::{Extension, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;

use super::rpc_errors::error_response;

const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often a stream checks that its session still stands.
const SESSION_CHECK: Duration = Duration::from_secs(5);
/// Most notifications replayed at once (a browser away for long reloads the inbox).
const REPLAY_LIMIT: i64 = 200;

#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    /// The newest notification id the page was rendered with.
    after: Option<i64>,
}

pub async fn notification_stream(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<StreamQuery>,
) -> Response {
    let user = match guard::check(auth.map(|Extension(a)| a), Role::User) {
        Ok(user) => user,
        Err(error) => return error_response(&error),
    };
    let Some(session_id) = session.id() else {
        return error_response(&app::error::AppError::Unauthorized);
    };
    let receiver = state.live.subscribe(user.id);
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    let after = match last_event_id.or(query.after) {
        Some(after) => after,
        None => match inbox::latest_id(&state.db, user.id).await {
            Ok(latest) => latest,
            Err(error) => return error_response(&error.into()),
        },
    };
    let replay = match inbox::since(&state.db, user.id, after, REPLAY_LIMIT).await {
        Ok(replay) => replay,
        Err(error) => return error_response(&error.into()),
    };
    let follow = Follow {
        state,
        user_id: user.id,
        session_id,
        last_sent: after,
        replay: replay.into(),
        receiver,
        check: tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK),
    };
    Sse::new(events(follow))
        .keep_alive(KeepAlive::new().interval(HEARTBEAT))
        .into_response()
}

struct Follow {
    state: AppState,
    user_id: i64,
    session_id: tower_sessions::session::Id,
    last_sent: i64,
    replay: VecDeque<Notification>,
    receiver: broadcast::Receiver<Notification>,
    check: tokio::time::Interval,
}

fn event(notification: &Notification) -> Event {
    Event::default()
        .id(notification.id.to_string())
        .event("notification")
        .json_data(notification)
        .unwrap_or_else(|_| Event::default().comment("unserialisable notification"))
}

fn events(follow: Follow) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(follow, |mut follow| async move {
        let next = follow.next().await?;
        Some((Ok(event(&next)), follow))
    })
}

impl Follow {
    /// The next notification to send, or `None` when the stream should end.
    /// The database and Redis calls are boxed: an idle stream then holds only
    /// the small wait, not space for their futures (bench/events.sh measures
    /// memory per stream).
    async fn next(&mut self) -> Option<Notification> {
        loop {
            if let Some(notification) = self.replay.pop_front() {
                if notification.id > self.last_sent {
                    self.last_sent = notification.id;
                    return Some(notification);
                }
                continue;
            }
            tokio::select! {
                received = self.receiver.recv() => match received {
                    Ok(notification) => self.replay.push_back(notification),
                    // Fell behind: catch up from the inbox.
                    Err(RecvError::Lagged(_)) => {
                        let missed = Box::pin(inbox::since(&self.state.db, self.user_id, self.last_sent, REPLAY_LIMIT)).await.ok()?;
                        self.replay.extend(missed);
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.check.tick() => {
                    match Box::pin(session::still_stands(&self.state, self.session_id, self.user_id)).await {
                        Ok(true) | Err(_) => {} // A Redis hiccup does not end streams.
                        Ok(false) => return None,
                    }
                }
            }
        }
    }
}
