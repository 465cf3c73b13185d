//! The bell's summary: read on every page, so it is cached (and invalidated
//! by every writer of the inbox) and its count is capped.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::flows::{available_item, decide, filed};
use crate::helpers::{TestApp, eventually};
use crate::users::org;

/// `count` unread notifications for `user_id`, plus one read one; the newest
/// id. Written behind the application's back, so the bell is invalidated here
/// as the inbox writer would.
async fn notify(app: &TestApp, user_id: i64, count: i64) -> i64 {
    let db = &app.state.db;
    sqlx::query(
        "INSERT INTO notifications (user_id, event_id, kind, read_at)
         SELECT $1, gen_random_uuid(), 'request.approved', CASE WHEN g = 0 THEN now() END
           FROM generate_series(0, $2) AS g",
    )
    .bind(user_id)
    .bind(count)
    .execute(db)
    .await
    .expect("notifications");
    app::notifications::summaries::forget(&app.state.inbox_summaries, user_id).await;
    sqlx::query_scalar("SELECT max(id) FROM notifications WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
        .expect("latest")
}

async fn summary(browser: &Browser) -> Value {
    let response = browser.call("/api/rpc/notifications/summary", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("summary")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_unread_count_is_exact_up_to_the_cap_and_shown_as_99_plus_beyond(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;

    let latest = notify(&app, org.user, 7).await;
    let seven = summary(&alice).await;
    assert_eq!(seven["unread"], 7, "{seven}");
    assert_eq!(seven["latest_id"], latest, "{seven}");
    assert_eq!(summary(&bob).await["unread"], 0, "only alice's own count");

    let latest = notify(&app, org.user, 500).await;
    let capped = summary(&alice).await;
    assert_eq!(capped["unread"], app::notifications::UNREAD_CAP, "{capped}");
    assert_eq!(capped["latest_id"], latest, "{capped}");
    let page = alice.get("/requests").await.text().await.expect("page");
    assert!(page.contains(">99+<"), "the bell shows 99+");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_cached_bell_follows_decisions_and_reading_on_every_node(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-BELL").await;
    let first = TestApp::spawn(pool.clone()).await;
    let second = crate::helpers::second_node(pool.clone(), &first).await;
    let alice = signed_in(&second, "alice").await;
    let bob = signed_in(&first, "bob").await;
    assert_eq!(summary(&alice).await["unread"], 0, "cached at zero");

    let id = filed(&alice, item, "borrow").await;
    assert_eq!(decide(&bob, id, "approve").await.status(), 200);
    // However long the event takes under load, the bell follows its inbox
    // row within moments, well inside the cache's own lifetimes (5 s, 20 s).
    let written = eventually(60, async || {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM notifications WHERE user_id = $1")
            .bind(org.user)
            .fetch_one(&pool)
            .await
            .expect("count")
            == 1
    })
    .await;
    assert!(written, "the decision reached alice's inbox");
    let told = eventually(3, async || summary(&alice).await["unread"] == 1).await;
    assert!(told, "the cached bell on the other node was invalidated");

    let read = alice.call("/api/rpc/notifications/mark-read", &[]).await;
    assert_eq!(read.status(), 200);
    assert_eq!(summary(&alice).await["unread"], 0, "read at once");
    let page = alice.get("/requests").await.text().await.expect("page");
    assert!(
        !page.contains("bell-count"),
        "no badge once everything is read"
    );
}
