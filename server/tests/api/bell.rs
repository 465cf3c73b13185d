//! The bell's summary: read on every page, so its count is capped.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::helpers::TestApp;
use crate::users::org;

/// `count` unread notifications for `user_id`, plus one read one; the newest id.
async fn notify(db: &PgPool, user_id: i64, count: i64) -> i64 {
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

    let latest = notify(&pool, org.user, 7).await;
    let seven = summary(&alice).await;
    assert_eq!(seven["unread"], 7, "{seven}");
    assert_eq!(seven["latest_id"], latest, "{seven}");
    assert_eq!(summary(&bob).await["unread"], 0, "only alice's own count");

    let latest = notify(&pool, org.user, 500).await;
    let capped = summary(&alice).await;
    assert_eq!(capped["unread"], app::notifications::UNREAD_CAP, "{capped}");
    assert_eq!(capped["latest_id"], latest, "{capped}");
    let page = alice.get("/requests").await.text().await.expect("page");
    assert!(page.contains(">99+<"), "the bell shows 99+");
}
