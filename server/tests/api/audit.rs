//! The audit trail's server function: scoped to the caller's departments,
//! filtered by actor, record and period, paged by an opaque cursor, and its
//! before/after given as the fields that changed.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::helpers::TestApp;
use crate::users::{org, outsider};

async fn trail(browser: &Browser, filter: &[(&str, &str)]) -> Value {
    let response = browser.call("/api/rpc/audit/trail", filter).await;
    assert_eq!(response.status(), 200, "{filter:?}");
    response.json().await.expect("json")
}

/// (action, entity_type, entity_id) of each row, newest first.
fn rows(page: &Value) -> Vec<(String, String, i64)> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap_or_default().to_owned(),
                r["entity_type"].as_str().unwrap_or_default().to_owned(),
                r["entity_id"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_leader_reads_their_departments_trail_as_changed_fields(pool: PgPool) {
    let org = org(&pool).await;
    let dave = outsider(&pool, &org).await;
    let app = TestApp::spawn(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;
    let carol = signed_in(&app, "carol").await;
    // bob disables alice (his department); carol, the admin, disables dave (another).
    bob.set_active(org.user, false).await;
    carol.set_active(dave, false).await;

    let seen = trail(&bob, &[]).await;
    assert_eq!(
        rows(&seen),
        [("user.disabled".to_owned(), "user".to_owned(), org.user)],
        "a leader sees only rows about their departments"
    );
    let row = &seen["rows"][0];
    assert_eq!(row["actor"], serde_json::json!(["bob", "bob"]));
    assert_eq!(
        row["changes"],
        serde_json::json!([{"field": "status", "before": "active", "after": "disabled"}]),
        "before/after as the changed field"
    );

    let everything = rows(&trail(&carol, &[]).await);
    assert_eq!(
        everything.len(),
        2,
        "an admin sees every row: {everything:?}"
    );
    assert_eq!(everything[0].2, dave, "newest first");

    // Filters: actor, record, period.
    let by_bob = rows(&trail(&carol, &[("actor", "bob")]).await);
    assert_eq!(by_bob.len(), 1);
    assert_eq!(by_bob[0].2, org.user);
    let daves = rows(
        &trail(
            &carol,
            &[("entity", "user"), ("entity_id", &dave.to_string())],
        )
        .await,
    );
    assert_eq!(daves.len(), 1);
    assert_eq!(daves[0].2, dave);
    assert!(rows(&trail(&carol, &[("entity", "equipment")]).await).is_empty());
    // The trail's days are the organisation's (Beijing in the test apps).
    let yesterday = crate::flows::today(-1);
    let today = crate::flows::today(0);
    assert_eq!(
        rows(&trail(&carol, &[("from", &today), ("to", &today)]).await).len(),
        2
    );
    assert!(rows(&trail(&carol, &[("to", &yesterday)]).await).is_empty());

    // The page itself, without JavaScript: the row and its change are in the HTML.
    let html = bob
        .get("/leader/audit?entity=user")
        .await
        .text()
        .await
        .expect("html");
    // Debug builds under cargo-leptos mark text nodes with `<!>` for hydration.
    let table = html
        .find("<table")
        .map(|start| html[start..].replace("<!>", ""))
        .unwrap_or_default();
    assert!(
        table.contains("user.disabled"),
        "the row is in the table: {html}"
    );
    assert!(
        table.contains("<del>active</del>") && table.contains("<ins>disabled</ins>"),
        "the change reads as before → after: {table}"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_trail_pages_by_cursor_and_names_every_wrong_filter(pool: PgPool) {
    let org = org(&pool).await;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after)
         SELECT $1, 'user.disabled', 'user', $2, '{\"status\":\"active\"}', '{\"status\":\"disabled\"}'
           FROM generate_series(1, 120)",
    )
    .bind(org.leader)
    .bind(org.user)
    .execute(&pool)
    .await
    .expect("rows");
    let app = TestApp::spawn(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;

    // Rows written in one statement share created_at: the id breaks the tie.
    let mut ids = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let filter: Vec<(&str, &str)> = before.iter().map(|c| ("before", c.as_str())).collect();
        let page = trail(&bob, &filter).await;
        ids.extend(
            page["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| r["id"].as_i64().unwrap_or_default()),
        );
        match page["next"].as_str() {
            Some(next) => before = Some(next.to_owned()),
            None => break,
        }
    }
    let all: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM audit_log ORDER BY created_at DESC, id DESC")
            .fetch_all(&pool)
            .await
            .expect("ids");
    assert_eq!(
        ids, all,
        "pages concatenate to the whole trail, no gaps, no repeats"
    );

    let response = bob
        .call(
            "/api/rpc/audit/trail",
            &[
                ("entity", "users"),
                ("entity_id", "x"),
                ("from", "2026-02-30"),
                ("before", "v1.zz"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.expect("body");
    for field in ["entity", "entity_id", "from", "before"] {
        assert!(
            body.contains(&format!("\"{field}\"")),
            "{field} named: {body}"
        );
    }

    let alice = signed_in(&app, "alice").await;
    let refused = alice.call("/api/rpc/audit/trail", &[]).await;
    assert_eq!(refused.status(), 403, "users do not read the trail");
    let page = alice.get("/leader/audit").await;
    assert_eq!(page.status(), 403, "nor see its page");
}

fn plan_nodes(plan: &Value, out: &mut Vec<String>) {
    if let Some(node) = plan["Node Type"].as_str() {
        let index = plan["Index Name"].as_str().unwrap_or_default();
        out.push(format!("{node} {index}").trim().to_owned());
    }
    for child in plan["Plans"].as_array().into_iter().flatten() {
        plan_nodes(child, out);
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_newest_first_trail_is_read_off_its_index_without_a_sort(pool: PgPool) {
    let org = org(&pool).await;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity_type, entity_id, created_at)
         SELECT $1, 'user.enabled', 'user', $2, now() - g * interval '1 minute'
           FROM generate_series(1, 5000) AS g",
    )
    .bind(org.leader)
    .bind(org.user)
    .execute(&pool)
    .await
    .expect("rows");
    sqlx::query("ANALYZE audit_log")
        .execute(&pool)
        .await
        .expect("analyze");
    let explained: Value = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "EXPLAIN (FORMAT JSON) {}",
        app::audit::repo::TRAIL_SQL
    )))
    .bind(None::<&str>)
    .bind(None::<&str>)
    .bind(None::<i64>)
    .bind(None::<chrono::DateTime<chrono::Utc>>)
    .bind(None::<chrono::DateTime<chrono::Utc>>)
    .bind(None::<chrono::DateTime<chrono::Utc>>)
    .bind(None::<i64>)
    .bind(None::<Vec<i64>>)
    .bind(app::audit::AUDIT_PAGE + 1)
    .fetch_one(&pool)
    .await
    .expect("explain");
    let mut nodes = Vec::new();
    plan_nodes(&explained[0]["Plan"], &mut nodes);
    assert!(
        nodes.iter().any(|n| n.ends_with("audit_log_created_idx")),
        "read off (created_at, id): {nodes:?}"
    );
    assert!(
        !nodes.iter().any(|n| n.contains("Sort")),
        "no sort: {nodes:?}"
    );
}
