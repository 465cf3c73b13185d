//! Admins edit categories and the department tree: field errors, loops refused,
//! audit rows, and every node's cached copy replaced at once.
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

async fn catalogue(browser: &Browser) -> serde_json::Value {
    let response = browser.call("/api/rpc/catalogue/get", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("catalogue json")
}

fn names(catalogue: &serde_json::Value, list: &str) -> Vec<String> {
    catalogue[list]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_new_category_is_seen_at_once_by_another_node(pool: PgPool) {
    org(&pool).await;
    let node_a = TestApp::spawn(pool.clone()).await;
    let node_b = crate::helpers::second_node(pool.clone(), &node_a).await;
    let admin = Browser::new(&node_a);
    admin.sign_in("carol", PASSWORD).await;
    let reader = Browser::new(&node_b);
    reader.sign_in("alice", PASSWORD).await;
    // Node B caches the catalogue before the change.
    assert!(names(&catalogue(&reader).await, "categories").is_empty());

    let response = admin
        .call(
            "/api/rpc/catalogue/save-category",
            &[("code", "scope"), ("name", "示波器"), ("description", "")],
        )
        .await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);

    let seen = crate::helpers::eventually(2, async || {
        names(&catalogue(&reader).await, "categories") == ["示波器"]
    })
    .await;
    assert!(seen, "node B still serves its old L1 copy");
    let code: String = sqlx::query_scalar("SELECT code FROM equipment_categories")
        .fetch_one(&pool)
        .await
        .expect("row");
    assert_eq!(code, "SCOPE", "codes are stored in capitals");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'equipment_category.created'",
    )
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn every_wrong_field_comes_back_at_once_with_422(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = Browser::new(&app);
    admin.sign_in("carol", PASSWORD).await;
    let response = admin
        .call(
            "/api/rpc/catalogue/save-department",
            &[("parent_id", "abc"), ("code", "有 空格"), ("name", "  ")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    let fields: Vec<&str> = body["Invalid"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["field"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(fields, ["parent_id", "code", "name"]);
    let response = admin
        .call(
            "/api/rpc/catalogue/save-department",
            &[("code", "TEAM"), ("name", "Twice")],
        )
        .await;
    assert_eq!(response.status(), 422, "a taken code names its field");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["Validation"]["field"], "code");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_department_cannot_move_below_itself(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = Browser::new(&app);
    admin.sign_in("carol", PASSWORD).await;
    let root: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'ROOT'")
        .fetch_one(&pool)
        .await
        .expect("root");
    // ROOT → TEAM: TEAM is below ROOT, so ROOT may not become TEAM's child.
    let response = admin
        .call(
            "/api/rpc/catalogue/save-department",
            &[
                ("id", &root.to_string()),
                ("parent_id", &org.department.to_string()),
                ("code", "ROOT"),
                ("name", "Root"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["Validation"]["message"], "parent_loop");
    // Moving OTHER below TEAM is fine, and the tree shows it there.
    let response = admin
        .call(
            "/api/rpc/catalogue/save-department",
            &[
                ("id", &org.other_department.to_string()),
                ("parent_id", &org.department.to_string()),
                ("code", "OTHER"),
                ("name", "Other"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let tree = catalogue(&admin).await;
    let other = tree["departments"]
        .as_array()
        .expect("tree")
        .iter()
        .find(|d| d["code"] == "OTHER")
        .cloned()
        .expect("OTHER");
    assert_eq!(other["parent_id"], org.department);
    assert_eq!(other["depth"], 2);
}
