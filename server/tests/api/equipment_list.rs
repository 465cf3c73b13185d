//! The equipment list: plans, keyset paging, the JSON API.
use app::equipment::cursor::Cursor;
use app::equipment::query::Position;
use app::equipment::{EquipmentStatus, ListFilter, repo};
use equipflow_server::seed::seed_equipment;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

fn plan_nodes(plan: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(node) = plan["Node Type"].as_str() {
        out.push(node.to_owned());
    }
    for child in plan["Plans"].as_array().into_iter().flatten() {
        plan_nodes(child, out);
    }
}

async fn plan_of(pool: &PgPool, filter: &ListFilter, position: &Position) -> Vec<String> {
    let explained: serde_json::Value =
        repo::list_query("EXPLAIN (FORMAT JSON) ", filter, position, 20)
            .build_query_scalar()
            .fetch_one(pool)
            .await
            .expect("explain");
    let mut nodes = Vec::new();
    plan_nodes(&explained[0]["Plan"], &mut nodes);
    nodes
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn every_main_filter_is_an_index_scan_without_a_sort(pool: PgPool) {
    seed_equipment(&pool, 12_000, |_| {}).await.expect("seed");
    let (category, department): (i64, i64) =
        sqlx::query_as("SELECT category_id, department_id FROM equipment LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("ids");
    let middle: (chrono::DateTime<chrono::Utc>, i64) =
        sqlx::query_as("SELECT created_at, id FROM equipment ORDER BY created_at DESC, id DESC OFFSET 6000 LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("middle row");
    let filters = [
        ListFilter::default(),
        ListFilter {
            status: Some(EquipmentStatus::UnderRepair),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(EquipmentStatus::Available),
            ..ListFilter::default()
        },
        ListFilter {
            category_id: Some(category),
            ..ListFilter::default()
        },
        ListFilter {
            department_id: Some(department),
            ..ListFilter::default()
        },
        ListFilter {
            department_id: Some(department),
            status: Some(EquipmentStatus::Available),
            ..ListFilter::default()
        },
        ListFilter {
            category_id: Some(category),
            status: Some(EquipmentStatus::UnderRepair),
            ..ListFilter::default()
        },
    ];
    let positions = [
        Position::Page(1),
        Position::Page(100),
        Position::After(Cursor {
            created_at: middle.0,
            id: middle.1,
        }),
    ];
    for filter in &filters {
        for position in &positions {
            let nodes = plan_of(&pool, filter, position).await;
            assert!(
                nodes
                    .iter()
                    .any(|n| n == "Index Only Scan" || n == "Index Scan"),
                "{filter:?} {position:?}: {nodes:?}"
            );
            assert!(
                !nodes.iter().any(|n| n.contains("Sort")),
                "{filter:?} {position:?}: {nodes:?}"
            );
        }
    }
    let page = repo::list(&pool, &ListFilter::default(), &Position::Page(1), 20)
        .await
        .expect("list");
    assert_eq!(
        (page.total, page.total_capped),
        (10_000, true),
        "counts stop at the cap"
    );
    let keyword = ListFilter {
        keyword: Some("syn-".into()),
        ..ListFilter::default()
    };
    let page = repo::list(&pool, &keyword, &Position::Page(1), 20)
        .await
        .expect("keyword list");
    assert_eq!(
        (
            page.total,
            page.total_capped,
            page.count_cap,
            page.items.len()
        ),
        (1_000, true, 1_000, 20),
        "keyword matches are counted to their own, lower cap"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn keyset_pages_concatenate_to_the_full_order_despite_equal_timestamps(pool: PgPool) {
    seed_equipment(&pool, 1_000, |_| {}).await.expect("seed");
    let ties: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT created_at FROM equipment GROUP BY created_at HAVING count(*) > 1) t",
    )
    .fetch_one(&pool)
    .await
    .expect("ties");
    assert!(ties > 100, "the seed repeats created_at values");
    for filter in [
        ListFilter::default(),
        ListFilter {
            status: Some(EquipmentStatus::Available),
            ..ListFilter::default()
        },
    ] {
        let expected_query = String::from(
            "SELECT id FROM equipment WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id DESC",
        );
        let expected: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(expected_query))
            .bind(filter.status.map(|s| s.as_str()))
            .fetch_all(&pool)
            .await
            .expect("full order");
        let mut seen = Vec::new();
        let mut position = Position::Page(1);
        loop {
            let page = repo::list(&pool, &filter, &position, 37)
                .await
                .expect("page");
            seen.extend(page.items.iter().map(|i| i.id));
            match page.next_cursor {
                Some(cursor) => {
                    position = Position::After(Cursor::decode(&cursor).expect("our cursor"))
                }
                None => break,
            }
        }
        assert_eq!(seen, expected, "no duplicates, no gaps ({filter:?})");
        let third = repo::list(&pool, &filter, &Position::Page(3), 37)
            .await
            .expect("page 3");
        let ids: Vec<i64> = third.items.iter().map(|i| i.id).collect();
        assert_eq!(
            ids,
            expected[74..111].to_vec(),
            "numbered pages agree with the order"
        );
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_json_api_pages_validates_and_serves_items_from_the_cache(pool: PgPool) {
    org(&pool).await;
    seed_equipment(&pool, 300, |_| {}).await.expect("seed");
    let app = TestApp::spawn(pool.clone()).await;
    assert_eq!(
        Browser::new(&app).get("/api/v1/equipment").await.status(),
        401
    );
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;

    let first: serde_json::Value = browser
        .get("/api/v1/equipment?size=50")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["items"].as_array().map(Vec::len), Some(50));
    assert_eq!(first["total"], 300);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second: serde_json::Value = browser
        .get(&format!("/api/v1/equipment?size=50&cursor={cursor}"))
        .await
        .json()
        .await
        .expect("json");
    assert_ne!(first["items"][49]["id"], second["items"][0]["id"]);

    for (query, field) in [
        ("cursor=v1.zz", "cursor"),
        ("cursor=forged", "cursor"),
        ("status=lost", "status"),
        ("page=101", "page"),
        ("size=0", "size"),
    ] {
        let response = browser.get(&format!("/api/v1/equipment?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert!(
            response.text().await.expect("body").contains(field),
            "{query}"
        );
    }

    let id = first["items"][0]["id"].as_i64().expect("id");
    for _ in 0..2 {
        let item: serde_json::Value = browser
            .get(&format!("/api/v1/equipment/{id}"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(item["id"], id);
    }
    let metrics = app.state.metrics.render().expect("metrics");
    assert!(
        metrics.contains(
            r#"equipflow_cache_events_total{cache="equipment",level="l1",outcome="hit"} 1"#
        ),
        "{metrics}"
    );
    assert_eq!(
        browser.get("/api/v1/equipment/999999999").await.status(),
        404
    );
    assert_eq!(browser.get("/api/v1/equipment/abc").await.status(), 400);
}
