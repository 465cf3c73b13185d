//! Admins create, edit, retire, import and export equipment; every write
//! reaches readers through the cache at once and leaves an audit row.
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::helpers::TestApp;
use crate::users::{Org, org};

async fn category(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("INSERT INTO equipment_categories (code, name) VALUES ($1, $1) RETURNING id")
        .bind(code)
        .fetch_one(pool)
        .await
        .expect("category")
}

fn item_form<'a>(
    org: &Org,
    category: i64,
    asset_code: &'a str,
    name: &'a str,
) -> Vec<(&'static str, String)> {
    vec![
        ("asset_code", asset_code.to_owned()),
        ("name", name.to_owned()),
        ("model", "X1".to_owned()),
        ("category_id", category.to_string()),
        ("department_id", org.department.to_string()),
        ("location", "3F".to_owned()),
        ("purchase_date", "2025-01-31".to_owned()),
        ("purchase_price", "12999.5".to_owned()),
    ]
}

async fn equipment_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM equipment")
        .fetch_one(pool)
        .await
        .expect("count")
}

async fn save(browser: &Browser, form: &[(&str, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.call("/api/rpc/equipment/save", &refs).await
}

async fn item(browser: &Browser, id: i64) -> serde_json::Value {
    let response = browser.get(&format!("/api/v1/equipment/{id}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("item")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_edit_is_served_at_once_and_a_stale_edit_is_refused(pool: PgPool) {
    let org = org(&pool).await;
    let laptop = category(&pool, "LAPTOP").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    let reader = signed_in(&app, "alice").await;

    let response = save(&admin, &item_form(&org, laptop, "eq-1", "Laptop")).await;
    assert_eq!(response.status(), 200);
    let id: i64 = response.json().await.expect("id");
    let created = item(&reader, id).await;
    assert_eq!(created["asset_code"], "EQ-1");
    assert_eq!(created["purchase_price_cents"], 1_299_950);
    assert_eq!(created["version"], 1);

    let mut edit = item_form(&org, laptop, "EQ-1", "Laptop, renamed");
    edit.push(("id", id.to_string()));
    edit.push(("version", "1".to_owned()));
    assert_eq!(save(&admin, &edit).await.status(), 200);
    // The reader's node cached version 1 above; the write invalidated it.
    let edited = item(&reader, id).await;
    assert_eq!(edited["name"], "Laptop, renamed");
    assert_eq!(edited["version"], 2);

    // Another edit still based on version 1 lost the race: 409, nothing written.
    let mut stale = item_form(&org, laptop, "EQ-1", "Overwrite");
    stale.push(("id", id.to_string()));
    stale.push(("version", "1".to_owned()));
    let response = save(&admin, &stale).await;
    assert_eq!(response.status(), 409);
    assert_eq!(item(&reader, id).await["name"], "Laptop, renamed");

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity_type = 'equipment' AND entity_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .expect("audit");
    assert_eq!(actions, ["equipment.created", "equipment.updated"]);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn bad_fields_are_named_and_nothing_is_written(pool: PgPool) {
    let org = org(&pool).await;
    let laptop = category(&pool, "LAPTOP").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    let mut form = item_form(&org, laptop, "bad code!", "");
    form.retain(|(k, _)| *k != "purchase_price" && *k != "category_id");
    form.push(("purchase_price", "-1".to_owned()));
    form.push(("category_id", "999999".to_owned()));
    let response = save(&admin, &form).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    let mut fields: Vec<String> = body["Invalid"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["asset_code", "category_id", "name", "purchase_price"]
    );
    let count = equipment_count(&pool).await;
    assert_eq!(count, 0);

    assert_eq!(
        save(&admin, &item_form(&org, laptop, "EQ-1", "A"))
            .await
            .status(),
        200
    );
    let response = save(&admin, &item_form(&org, laptop, "eq-1", "B")).await;
    assert_eq!(response.status(), 422, "a taken asset code names its field");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["Validation"]["field"], "asset_code");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn retiring_needs_the_item_at_home(pool: PgPool) {
    let org = org(&pool).await;
    let laptop = category(&pool, "LAPTOP").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    let id: i64 = save(&admin, &item_form(&org, laptop, "EQ-1", "A"))
        .await
        .json()
        .await
        .expect("id");
    sqlx::query("UPDATE equipment SET status = 'in_use', holder_id = $2 WHERE id = $1")
        .bind(id)
        .bind(org.user)
        .execute(&pool)
        .await
        .expect("lend");
    let version: i32 = sqlx::query_scalar("SELECT version FROM equipment WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("version");
    let retire = |version: i32| {
        let admin = &admin;
        async move {
            admin
                .call(
                    "/api/rpc/equipment/retire",
                    &[
                        ("id", &id.to_string()),
                        ("version", &version.to_string()),
                        ("confirmed", "yes"),
                    ],
                )
                .await
        }
    };
    let response = retire(version).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.json::<serde_json::Value>().await.expect("json")["Conflict"],
        "retire_in_use"
    );
    sqlx::query("UPDATE equipment SET status = 'available', holder_id = NULL WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect("return");
    assert_eq!(retire(version).await.status(), 200);
    let reader = signed_in(&app, "alice").await;
    assert_eq!(item(&reader, id).await["status"], "scrapped");
    assert_eq!(retire(version + 1).await.status(), 409, "already retired");
}

async fn import(browser: &Browser, csv: &str) -> serde_json::Value {
    let response = browser.import(None, csv).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("report")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_import_with_one_bad_row_writes_nothing(pool: PgPool) {
    org(&pool).await;
    category(&pool, "LAPTOP").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    sqlx::query(
        "INSERT INTO equipment (asset_code, name, category_id, department_id)
         SELECT 'TAKEN-1', 'x', (SELECT id FROM equipment_categories), (SELECT id FROM departments WHERE code = 'TEAM')",
    )
    .execute(&pool)
    .await
    .expect("existing item");

    let mut csv = String::from("asset_code,name,category,department,purchase_price\n");
    for i in 0..500 {
        csv.push_str(&format!("IMP-{i},Item {i},LAPTOP,TEAM,10.00\n"));
    }
    csv.push_str("IMP-BAD,Bad,NOPE,TEAM,1\n");
    let report = import(&admin, &csv).await;
    assert_eq!(report["rows"], 501);
    assert_eq!(report["created"], 0);
    assert_eq!(report["errors"][0]["line"], 502);
    assert_eq!(report["errors"][0]["field"], "category");
    let count = equipment_count(&pool).await;
    assert_eq!(count, 1, "all or nothing");

    let report = import(
        &admin,
        "asset_code,name,category,department\ntaken-1,x,LAPTOP,TEAM\n",
    )
    .await;
    assert_eq!(report["errors"][0]["message"], "asset_code_taken");

    let fixed = csv.replace("IMP-BAD,Bad,NOPE", "IMP-OK,Ok,LAPTOP");
    let report = import(&admin, &fixed).await;
    assert_eq!(report["created"], 501);
    assert!(report["errors"].as_array().expect("errors").is_empty());
    let (items, audited): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM equipment WHERE asset_code LIKE 'IMP-%'),
                (SELECT count(*) FROM audit_log WHERE action = 'equipment.imported')",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!((items, audited), (501, 501));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_export_follows_the_filter_and_imports_back(pool: PgPool) {
    let org = org(&pool).await;
    let laptop = category(&pool, "LAPTOP").await;
    let monitor = category(&pool, "MONITOR").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    for i in 0..30 {
        let category = if i % 3 == 0 { monitor } else { laptop };
        let code = format!("EXP-{i}");
        assert_eq!(
            save(
                &admin,
                &item_form(&org, category, &code, "名称, \"quoted\"")
            )
            .await
            .status(),
            200
        );
    }
    sqlx::query(
        "INSERT INTO equipment (asset_code, name, category_id, department_id)
         SELECT 'BULK-' || g, 'bulk', $1, $2 FROM generate_series(1, 2500) g",
    )
    .bind(laptop)
    .bind(org.department)
    .execute(&pool)
    .await
    .expect("bulk");

    let user = signed_in(&app, "alice").await;
    assert_eq!(user.get("/api/v1/equipment.csv").await.status(), 403);
    assert_eq!(
        admin
            .get("/api/v1/equipment.csv?cursor=forged")
            .await
            .status(),
        400
    );

    let response = admin
        .get(&format!("/api/v1/equipment.csv?category={laptop}"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let text = response.text().await.expect("body");
    assert!(
        text.starts_with('\u{feff}'),
        "a BOM for spreadsheet programs"
    );
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let expected: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment WHERE category_id = $1")
        .bind(laptop)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(
        i64::try_from(rows.len()).expect("len"),
        expected,
        "across several batches"
    );
    assert!(rows.iter().all(|r| &r[4] == "LAPTOP"));

    // The same file with new asset codes imports back.
    let renamed = text.replace("EXP-", "AGAIN-").replace("BULK-", "AGAIN-B");
    let report = import(&admin, &renamed).await;
    assert!(
        report["errors"].as_array().expect("errors").is_empty(),
        "{report}"
    );
    assert_eq!(report["created"], expected);
    let quoted: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment WHERE name = '名称, \"quoted\"' AND asset_code LIKE 'AGAIN-%'")
        .fetch_one(&pool)
        .await
        .expect("quoted");
    assert!(quoted > 0, "quotes and commas survive the round trip");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn text_the_database_cannot_store_is_refused_with_a_4xx(pool: PgPool) {
    let org = org(&pool).await;
    let laptop = category(&pool, "LAPTOP").await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = signed_in(&app, "carol").await;
    // A NUL byte passes every form rule (it is one character) but PostgreSQL
    // cannot store it: the answer names the text, not an internal error.
    let response = save(&admin, &item_form(&org, laptop, "EQ-1", "Lap\0top")).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["Validation"]["message"], "text_invalid_characters");
    let count = equipment_count(&pool).await;
    assert_eq!(count, 0, "nothing half-written");

    let response = admin.get("/api/v1/equipment?q=lap%00top").await;
    assert_eq!(
        response.status(),
        400,
        "a keyword with a NUL is a bad request"
    );
    let body = response.text().await.expect("body");
    assert!(body.contains("keyword_invalid"), "{body}");
    assert_eq!(
        save(&admin, &item_form(&org, laptop, "EQ-1", "Laptop"))
            .await
            .status(),
        200,
        "the pool's connections survived the refused statement"
    );
}
