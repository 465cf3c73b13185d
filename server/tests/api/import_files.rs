//! Imports as Chinese offices make them: CSV saved by Excel on Chinese
//! Windows (GBK) with Chinese headers, dates and prices as people type them,
//! .xlsx workbooks both ways, the template, and every problem of a file in
//! one report — asset codes already taken included.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::flows::available_item;
use crate::helpers::TestApp;
use crate::users::org;

async fn chinese_category(pool: &PgPool) -> i64 {
    sqlx::query_scalar("INSERT INTO equipment_categories (code, name) VALUES ('LAPTOP', '笔记本电脑') RETURNING id")
        .fetch_one(pool)
        .await
        .expect("category")
}

async fn report(browser: &Browser, file: Option<(&str, Vec<u8>)>, pasted: &str) -> Value {
    let response = browser.import(file, pasted).await;
    assert_eq!(response.status(), 200, "a report, not a failure");
    response.json().await.expect("report")
}

fn problems(report: &Value) -> Vec<(u64, String, String)> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["field"].as_str().expect("field").to_owned(),
                e["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_gbk_file_from_chinese_excel_imports_with_its_chinese_names(pool: PgPool) {
    org(&pool).await;
    chinese_category(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;
    let text = "资产编号,名称,型号,类别,部门,存放位置,购置日期,购置价格（元）\r\n\
                GB-1,联想笔记本电脑,X1,笔记本电脑,TEAM,三楼会议室,2026/1/10,\"3,500\"\r\n\
                GB-2,戴尔显示器,U2723,LAPTOP,TEAM,,2026年1月9日,\"￥1,299.00\"\r\n";
    let gbk = encoding_rs::GBK.encode(text).0.into_owned();
    assert!(std::str::from_utf8(&gbk).is_err(), "really GBK bytes");
    let report = report(&carol, Some(("设备.csv", gbk)), "").await;
    assert_eq!(problems(&report), [], "{report}");
    assert_eq!(report["created"], 2);
    let rows: Vec<(String, String, Option<chrono::NaiveDate>, Option<i64>)> = sqlx::query_as(
        "SELECT name, location, purchase_date, purchase_price_cents FROM equipment
         WHERE asset_code LIKE 'GB-%' ORDER BY asset_code",
    )
    .fetch_all(&pool)
    .await
    .expect("rows");
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d);
    assert_eq!(
        rows,
        [
            (
                "联想笔记本电脑".into(),
                "三楼会议室".into(),
                day(10),
                Some(350_000)
            ),
            ("戴尔显示器".into(), String::new(), day(9), Some(129_900)),
        ]
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn every_problem_of_a_file_is_reported_in_one_pass(pool: PgPool) {
    let org = org(&pool).await;
    available_item(&pool, org.department, "TAKEN-1").await;
    chinese_category(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;
    // A taken code, an impossible date and an unquoted thousands separator.
    let text = "asset_code,name,category,department,purchase_date,purchase_price\n\
                TAKEN-1,Again,LAPTOP,TEAM,,\n\
                NEW-1,Bad day,LAPTOP,TEAM,2026-02-30,\n\
                NEW-2,Split,LAPTOP,TEAM,,3,500\n\
                NEW-3,Fine,LAPTOP,TEAM,,\n";
    let report = report(&carol, Some(("items.csv", text.as_bytes().to_vec())), "").await;
    assert_eq!(
        problems(&report),
        [
            (2, "asset_code".into(), "asset_code_taken".into()),
            (3, "purchase_date".into(), "date_invalid".into()),
            (4, String::new(), "too_many_cells:7:6".into()),
        ],
        "{report}"
    );
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(4), Some(0))
    );
    let written: i64 =
        sqlx::query_scalar("SELECT count(*) FROM equipment WHERE asset_code LIKE 'NEW-%'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(written, 0, "all or nothing");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_file_in_no_known_encoding_is_refused_with_how_to_save_it(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let carol = signed_in(&app, "carol").await;
    let latin = b"asset_code,name,category,department\nL-1,caf\xe9 \xff\xfe,X,TEAM\n".to_vec();
    let report = report(&carol, Some(("latin.csv", latin)), "").await;
    assert_eq!(
        problems(&report),
        [(1, String::new(), "file_encoding_unknown".into())]
    );
    // Not a multipart form: a clear 415, never a panic in the decoder.
    let response = carol
        .call("/api/rpc/equipment/import", &[("csv", "asset_code")])
        .await;
    assert_eq!(response.status(), 415);
    let response = carol
        .client
        .post(carol.url("/api/rpc/equipment/import"))
        .header("content-type", "multipart/form-data")
        .body("no boundary")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 415);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn workbooks_and_the_template_speak_the_readers_language_and_import_back(pool: PgPool) {
    let org = org(&pool).await;
    chinese_category(&pool).await;
    let item = available_item(&pool, org.department, "XL-1").await;
    sqlx::query("UPDATE equipment SET purchase_date = '2026-01-10', purchase_price_cents = 350050 WHERE id = $1")
        .bind(item)
        .execute(&pool)
        .await
        .expect("item");
    let app = TestApp::spawn(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;
    let alice = signed_in(&app, "alice").await;
    assert_eq!(alice.get("/api/v1/equipment.xlsx").await.status(), 403);
    assert_eq!(
        alice.get("/api/v1/equipment-template.xlsx").await.status(),
        403
    );

    let response = carol.get("/api/v1/equipment.xlsx?lang=zh").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .contains("spreadsheetml")
    );
    let bytes = response.bytes().await.expect("xlsx").to_vec();
    let table = app::equipment::sheet::read_file(&bytes, 1000).expect("a workbook");
    assert_eq!(
        table.headers[..4],
        ["资产编号", "名称", "型号", "序列号"],
        "Chinese headers"
    );
    let row = &table.rows[0].cells;
    assert_eq!(row[0], "XL-1");
    assert_eq!(row[4], "Test items", "the category's name, not its code");
    assert_eq!((row[7].as_str(), row[8].as_str()), ("2026-01-10", "3500.5"));
    assert_eq!(row[9], "可用", "the status in Chinese");
    // Imported as is, every row is already there: reported, nothing written.
    let again = report(&carol, Some(("export.xlsx", bytes)), "").await;
    assert_eq!(
        problems(&again),
        [(2, "asset_code".into(), "asset_code_taken".into())]
    );

    let english = carol
        .get("/api/v1/equipment.csv?lang=en")
        .await
        .text()
        .await
        .expect("csv");
    assert!(english.starts_with("\u{feff}Asset code,Name,"), "{english}");
    assert!(english.contains(",Available,"), "{english}");

    for (file, lang) in [
        ("equipment-template.xlsx", "zh"),
        ("equipment-template.csv", "en"),
    ] {
        let response = carol.get(&format!("/api/v1/{file}?lang={lang}")).await;
        assert_eq!(response.status(), 200, "{file}");
        let bytes = response.bytes().await.expect("template").to_vec();
        let table = app::equipment::sheet::read_file(&bytes, 10).expect("readable");
        let expected = if lang == "zh" {
            "资产编号"
        } else {
            "Asset code"
        };
        assert_eq!(table.headers[0], expected, "{file}");
        let imported = report(&carol, Some((file, bytes)), "").await;
        // The first imports as it is; the second names the same asset code.
        let expected: Vec<(u64, String, String)> = if lang == "zh" {
            Vec::new()
        } else {
            vec![(2, "asset_code".into(), "asset_code_taken".into())]
        };
        assert_eq!(problems(&imported), expected, "{file}: {imported}");
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_workbook_export_past_its_limit_is_refused_in_words(pool: PgPool) {
    let org = org(&pool).await;
    let category = chinese_category(&pool).await;
    sqlx::query(
        "INSERT INTO equipment (asset_code, name, category_id, department_id)
         SELECT 'MANY-' || g, 'many', $1, $2 FROM generate_series(1, $3) g",
    )
    .bind(category)
    .bind(org.department)
    .bind(i32::try_from(equipflow_server::web::XLSX_MAX_ROWS).expect("fits") + 1)
    .execute(&pool)
    .await
    .expect("rows");
    let app = TestApp::spawn(pool).await;
    let carol = signed_in(&app, "carol").await;
    let response = carol.get("/api/v1/equipment.xlsx?lang=en").await;
    assert_eq!(response.status(), 422);
    let text = response.text().await.expect("text");
    assert!(text.contains("export CSV"), "{text}");
}
