//! `/api/notifications/stream`: only the signed-in user's events, live, with
//! Last-Event-ID replay, and closed when the session ends.
use std::time::Duration;

use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::flows::{available_item, decide, filed};
use crate::helpers::{TestApp, eventually};
use crate::users::org;

/// Reads the stream until `text` appears (true) or it ends or times out (false).
async fn read_until(response: &mut reqwest::Response, text: &str, seconds: u64) -> (bool, String) {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                seen.push_str(&String::from_utf8_lossy(&chunk));
                if seen.contains(text) {
                    return (true, seen);
                }
            }
            _ => return (false, seen),
        }
    }
}

async fn stream(browser: &Browser, last_event_id: Option<i64>) -> reqwest::Response {
    let mut request = browser.client.get(browser.url("/api/notifications/stream"));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    request.send().await.expect("stream")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_decision_arrives_live_on_the_applicants_stream_only(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "SSE-1").await;
    let app = TestApp::spawn(pool.clone()).await;
    assert_eq!(
        Browser::new(&app)
            .get("/api/notifications/stream")
            .await
            .status(),
        401
    );
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;
    let carol = signed_in(&app, "carol").await;

    let mut alices = stream(&alice, None).await;
    assert_eq!(alices.status(), 200);
    assert_eq!(alices.headers()["content-type"], "text/event-stream");
    let mut carols = stream(&carol, None).await;
    let id = filed(&alice, item, "borrow").await;
    assert_eq!(decide(&bob, id, "approve").await.status(), 200);
    let (arrived, text) = read_until(&mut alices, "request.approved", 10).await;
    assert!(arrived, "{text}");
    assert!(text.contains("event: notification"), "{text}");
    let (leaked, text) = read_until(&mut carols, "request.approved", 2).await;
    assert!(!leaked, "another user's event reached carol: {text}");

    // A reconnecting browser gets what it missed after its Last-Event-ID.
    let mut replay = stream(&alice, Some(0)).await;
    let (replayed, text) = read_until(&mut replay, "request.approved", 5).await;
    assert!(replayed, "{text}");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_stream_closes_when_its_session_ends(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = signed_in(&app, "alice").await;
    let mut open = stream(&alice, None).await;
    assert_eq!(open.status(), 200);
    let response = alice
        .client
        .post(alice.url("/logout"))
        .send()
        .await
        .expect("logout");
    assert!(response.status().is_redirection() || response.status().is_success());
    let ended = eventually(15, async || {
        matches!(
            tokio::time::timeout(Duration::from_millis(200), open.chunk()).await,
            Ok(Ok(None) | Err(_))
        )
    })
    .await;
    assert!(ended, "the stream ended after sign-out");
}
