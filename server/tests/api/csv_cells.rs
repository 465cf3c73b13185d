//! CSV formula injection: text that people type (display names, item names)
//! reaches other people's spreadsheets through every CSV the app writes; no
//! cell may start a formula there, and an export still imports back as typed.
use sqlx::PgPool;

use crate::browser::signed_in;
use crate::flows::available_item;
use crate::helpers::TestApp;
use crate::users::org;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

fn cells(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect()
}

fn no_cell_starts_a_formula(csv_text: &str) {
    for row in cells(csv_text) {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {csv_text}"
            );
        }
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_equipment_export_neutralises_formulas_and_imports_back_as_typed(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "FX-1").await;
    sqlx::query("UPDATE equipment SET name = $2, location = '+3F', status = 'in_use', holder_id = $3 WHERE id = $1")
        .bind(item)
        .bind(FORMULA)
        .bind(org.user)
        .execute(&pool)
        .await
        .expect("item");
    sqlx::query("UPDATE users SET display_name = '@SUM(1+1)' WHERE id = $1")
        .bind(org.user)
        .execute(&pool)
        .await
        .expect("name");
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    let text = admin
        .get("/api/v1/equipment.csv")
        .await
        .text()
        .await
        .expect("csv");
    no_cell_starts_a_formula(&text);
    let row = &cells(&text)[1];
    assert_eq!(row[1], format!("'{FORMULA}"), "the name, as text");
    assert_eq!(row[10], "'@SUM(1+1)", "the holder's display name, as text");

    let again = text.replace("FX-1", "FX-2");
    let report: serde_json::Value = admin
        .import(Some(("export.csv", again.clone().into_bytes())), "")
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(report["created"], 1, "{report}");
    let (name, location): (String, String) =
        sqlx::query_as("SELECT name, location FROM equipment WHERE asset_code = 'FX-2'")
            .fetch_one(&pool)
            .await
            .expect("imported");
    assert_eq!((name.as_str(), location.as_str()), (FORMULA, "+3F"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn statistics_files_neutralise_display_names(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "FX-3").await;
    sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1")
        .bind(org.user)
        .bind(FORMULA)
        .execute(&pool)
        .await
        .expect("name");
    sqlx::query(
        "INSERT INTO equipment_requests
             (kind, equipment_id, applicant_id, department_id, reason, status, approver_id,
              decided_at, period_start, period_end)
         VALUES ('borrow', $1, $2, $3, 'x', 'approved', $4, now(), current_date, current_date)",
    )
    .bind(item)
    .bind(org.user)
    .bind(org.department)
    .bind(org.leader)
    .execute(&pool)
    .await
    .expect("loan");
    let app = TestApp::spawn(pool.clone()).await;
    crate::statistics::refresh(&pool, chrono::Utc::now()).await;
    let bob = signed_in(&app, "bob").await;
    let text = bob
        .get("/leader/statistics/top-borrowers.csv?lang=en")
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        cells(&text)
            .iter()
            .flatten()
            .any(|c| *c == format!("'{FORMULA}")),
        "{text}"
    );
    no_cell_starts_a_formula(&text);
}
