//! Shared steps of the request tests: items to file on, and the calls a
//! browser makes to file, decide and cancel.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::Browser;

/// A new available item in `department` (and its category, made on first use).
pub async fn available_item(db: &PgPool, department: i64, code: &str) -> i64 {
    let category: i64 = sqlx::query_scalar(
        "INSERT INTO equipment_categories (code, name) VALUES ('TEST', 'Test items')
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .fetch_one(db)
    .await
    .expect("category");
    sqlx::query_scalar(
        "INSERT INTO equipment (asset_code, name, category_id, department_id)
         VALUES ($1, $1 || ' laptop', $2, $3) RETURNING id",
    )
    .bind(code)
    .bind(category)
    .bind(department)
    .fetch_one(db)
    .await
    .expect("item")
}

pub async fn file(browser: &Browser, item: i64, kind: &str) -> reqwest::Response {
    browser
        .call(
            "/api/rpc/requests/file",
            &[
                ("equipment_id", &item.to_string()),
                ("kind", kind),
                ("reason", "for the field trip"),
                ("period_start", &today(0)),
                ("period_end", &today(7)),
            ],
        )
        .await
}

/// Files and expects success: the new request's id.
pub async fn filed(browser: &Browser, item: i64, kind: &str) -> i64 {
    let response = file(browser, item, kind).await;
    assert_eq!(response.status(), 200, "filing {kind} on {item}");
    let row: Value = response.json().await.expect("request row");
    row["id"].as_i64().expect("id")
}

pub async fn decide(browser: &Browser, id: i64, decision: &str) -> reqwest::Response {
    browser
        .call(
            "/api/rpc/approvals/decide",
            &[
                ("id", &id.to_string()),
                ("decision", decision),
                ("comment", "ok"),
            ],
        )
        .await
}

/// A day, `plus_days` from today where the organisation is (the test apps
/// keep the default zone, Beijing: from 16:00 UTC on it is tomorrow there).
pub fn today(plus_days: i64) -> String {
    let beijing = app::clock::OrgClock::for_zone(chrono_tz::Asia::Shanghai);
    (beijing.today(chrono::Utc::now()) + chrono::Duration::days(plus_days)).to_string()
}

/// The error a failed server function sent, as JSON.
pub async fn error_body(response: reqwest::Response) -> Value {
    response.json().await.expect("error body")
}
