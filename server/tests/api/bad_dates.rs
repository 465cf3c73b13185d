//! Dates and instants outside what the database or the business can hold
//! (signed and five-digit years, a cursor at -8·10¹⁸ µs) are the user's
//! mistake: a 4xx naming the field, never a 500, nothing written.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::signed_in;
use crate::flows::{available_item, today};
use crate::helpers::TestApp;
use crate::users::org;

/// `-8000000000000000000:1` as a list cursor.
const FAR_CURSOR: &str = "v1.2d383030303030303030303030303030303030303a31";

async fn fields(response: reqwest::Response) -> (u16, Vec<(String, String)>) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("error body");
    let issues = body["Invalid"]["issues"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![body["Validation"].clone()]);
    let named = issues
        .iter()
        .map(|i| {
            (
                i["field"].as_str().unwrap_or_default().to_owned(),
                i["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (status, named)
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_loan_cannot_start_in_the_year_99999(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "Y-1").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    for start in ["+99999-01-01", "99999-01-01", "2300-01-01"] {
        let response = alice
            .call(
                "/api/rpc/requests/file",
                &[
                    ("equipment_id", &item.to_string()),
                    ("kind", "borrow"),
                    ("reason", "a long trip"),
                    ("period_start", start),
                    ("period_end", &today(3)),
                ],
            )
            .await;
        let (status, named) = fields(response).await;
        assert_eq!(status, 422, "{start}");
        assert!(
            named.iter().any(|(field, _)| field == "period_start"),
            "{start}: {named:?}"
        );
    }
    let requests: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment_requests")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(requests, 0);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn out_of_range_instants_and_days_are_4xx_everywhere(pool: PgPool) {
    let org = org(&pool).await;
    let category: i64 = sqlx::query_scalar(
        "INSERT INTO equipment_categories (code, name) VALUES ('OLD', 'Old') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("category");
    let app = TestApp::spawn(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;

    let list = carol
        .get(&format!("/api/v1/equipment?cursor={FAR_CURSOR}"))
        .await;
    assert_eq!(list.status(), 400, "the JSON list");
    let page = carol.get(&format!("/equipment?cursor={FAR_CURSOR}")).await;
    assert!(
        page.status().is_client_error(),
        "the list page: {}",
        page.status()
    );
    let export = carol
        .get(&format!("/api/v1/equipment.csv?cursor={FAR_CURSOR}"))
        .await;
    assert_eq!(export.status(), 400, "the export");

    let trail = carol
        .call(
            "/api/rpc/audit/trail",
            &[("from", "-262000-01-01"), ("to", "+262000-01-01")],
        )
        .await;
    let (status, named) = fields(trail).await;
    assert_eq!(status, 422);
    assert_eq!(
        named,
        [
            ("from".to_owned(), "date_invalid".to_owned()),
            ("to".to_owned(), "date_invalid".to_owned())
        ]
    );

    let saved = carol
        .call(
            "/api/rpc/equipment/save",
            &[
                ("asset_code", "Y-2"),
                ("name", "Antique"),
                ("category_id", &category.to_string()),
                ("department_id", &org.department.to_string()),
                ("purchase_date", "-5000-01-01"),
            ],
        )
        .await;
    let (status, named) = fields(saved).await;
    assert_eq!(status, 422);
    assert_eq!(
        named,
        [("purchase_date".to_owned(), "date_invalid".to_owned())]
    );

    let csv = "asset_code,name,category,department,purchase_date\n\
               Y-3,Fine,OLD,TEAM,2024-05-01\n\
               Y-4,Ancient,OLD,TEAM,-5000-01-01\n\
               Y-5,Too old,OLD,TEAM,1850-01-01\n";
    let response = carol.import(None, csv).await;
    assert_eq!(response.status(), 200, "a report, not a failure");
    let report: Value = response.json().await.expect("report");
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "date_invalid".to_owned()),
            (4, "date_out_of_range".to_owned())
        ]
    );
    let items: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(items, 0, "all or nothing");
}
