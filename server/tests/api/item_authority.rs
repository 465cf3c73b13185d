//! The item's department takes part in every decision about the item: who
//! decides, who may file what on a lent item, who is told, and whose audit
//! trail shows it (penetration-test finding: a leader could repair or scrap
//! equipment of departments they do not lead).
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::flows::{available_item, decide, error_body, file, filed};
use crate::helpers::{TestApp, eventually};
use crate::users::{Org, member, org};

async fn item_state(db: &PgPool, item: i64) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, holder_id FROM equipment WHERE id = $1")
        .bind(item)
        .fetch_one(db)
        .await
        .expect("item")
}

async fn lend(db: &PgPool, item: i64, holder: i64) {
    sqlx::query("UPDATE equipment SET status = 'in_use', holder_id = $2 WHERE id = $1")
        .bind(item)
        .bind(holder)
        .execute(db)
        .await
        .expect("lend");
}

async fn refusal(browser: &Browser, item: i64, kind: &str) -> String {
    let response = file(browser, item, kind).await;
    assert_eq!(response.status(), 409, "{kind} on {item}");
    error_body(response).await["Conflict"]
        .as_str()
        .expect("conflict key")
        .to_owned()
}

/// The ids in a leader's approval queue.
async fn queue(browser: &Browser) -> Vec<i64> {
    let rows: Vec<Value> = browser
        .call("/api/rpc/approvals/pending", &[])
        .await
        .json()
        .await
        .expect("queue");
    rows.iter().map(|r| r["id"].as_i64().expect("id")).collect()
}

/// The OTHER department's leader, "olga".
async fn other_leader(pool: &PgPool, org: &Org) -> i64 {
    member(pool, org, "olga", "leader", org.other_department).await
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_request_on_another_departments_item_is_decided_by_that_department(pool: PgPool) {
    let org = org(&pool).await;
    other_leader(&pool, &org).await;
    let theirs = available_item(&pool, org.other_department, "PT-B-1").await;
    let ours = available_item(&pool, org.department, "PT-A-1").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;
    let olga = signed_in(&app, "olga").await;

    let across = filed(&alice, theirs, "repair").await;
    let at_home = filed(&alice, ours, "repair").await;
    let deciding: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, department_id FROM equipment_requests ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("requests");
    assert_eq!(
        deciding,
        [(across, org.other_department), (at_home, org.department)],
        "the item's department decides about its items; a department's own items stay with it"
    );

    assert_eq!(queue(&bob).await, [at_home], "bob's queue");
    assert_eq!(queue(&olga).await, [across], "olga's queue");

    assert_eq!(decide(&bob, across, "approve").await.status(), 404);
    assert_eq!(item_state(&pool, theirs).await.0, "available");
    assert_eq!(decide(&olga, across, "approve").await.status(), 200);
    assert_eq!(item_state(&pool, theirs).await.0, "under_repair");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_leader_cannot_scrap_another_departments_item_through_a_puppet_account(pool: PgPool) {
    let org = org(&pool).await;
    let theirs = available_item(&pool, org.other_department, "PT-B-2").await;
    let app = TestApp::spawn(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;

    // bob makes an account in his own department and signs in as it.
    let team = org.department.to_string();
    let issued: Value = bob
        .call(
            "/api/rpc/people/create",
            &[
                ("username", "puppet"),
                ("display_name", "Puppet"),
                ("phone", "13900000077"),
                ("department_id", &team),
                ("role", "user"),
            ],
        )
        .await
        .json()
        .await
        .expect("issued");
    let temporary = issued["password"].as_str().expect("password");
    let puppet = Browser::new(&app);
    puppet.sign_in("puppet", temporary).await;
    let fresh = "an entirely new marmot 19";
    assert_eq!(puppet.change_password(temporary, fresh).await.status(), 200);

    let response = puppet
        .call(
            "/api/rpc/requests/file",
            &[
                ("asset_code", "pt-b-2"),
                ("kind", "scrap"),
                ("reason", "broken"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "anyone may ask");
    let id = response.json::<Value>().await.expect("row")["id"]
        .as_i64()
        .expect("id");

    assert_eq!(decide(&bob, id, "approve").await.status(), 404);
    assert_eq!(
        item_state(&pool, theirs).await,
        ("available".to_owned(), None)
    );
    let decided: Option<i64> =
        sqlx::query_scalar("SELECT approver_id FROM equipment_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("request");
    assert_eq!(decided, None, "still pending");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn only_the_holder_or_the_items_department_reports_a_lent_item_broken(pool: PgPool) {
    let org = org(&pool).await;
    let dave = member(&pool, &org, "dave", "user", org.other_department).await;
    member(&pool, &org, "erin", "user", org.other_department).await;
    let theirs = available_item(&pool, org.other_department, "PT-B-3").await;
    lend(&pool, theirs, dave).await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;

    assert_eq!(
        refusal(&alice, theirs, "repair").await,
        "request_repair_not_holder"
    );
    assert_eq!(
        refusal(&alice, theirs, "return").await,
        "request_not_your_item"
    );
    filed(&signed_in(&app, "dave").await, theirs, "repair").await;
    filed(&signed_in(&app, "erin").await, theirs, "repair").await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn nothing_lent_or_with_a_pending_request_is_scrapped(pool: PgPool) {
    let org = org(&pool).await;
    let lent = available_item(&pool, org.department, "PT-A-4").await;
    lend(&pool, lent, org.user).await;
    let spare = available_item(&pool, org.department, "PT-A-5").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;
    member(&pool, &org, "erin", "user", org.department).await;
    let erin = signed_in(&app, "erin").await;

    assert_eq!(
        refusal(&alice, lent, "scrap").await,
        "request_scrap_lent",
        "not even its holder"
    );

    // A scrap filed first, then a loan asked for: the scrap may no longer be approved.
    let scrap = filed(&erin, spare, "scrap").await;
    filed(&alice, spare, "borrow").await;
    let response = decide(&bob, scrap, "approve").await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        error_body(response).await["Conflict"],
        "request_scrap_pending"
    );
    assert_eq!(item_state(&pool, spare).await.0, "available");
    // And with a request pending, a new scrap is refused at once.
    assert_eq!(
        refusal(&signed_in(&app, "carol").await, spare, "scrap").await,
        "request_scrap_pending"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_holder_is_told_and_the_items_department_sees_it_in_its_trail(pool: PgPool) {
    let org = org(&pool).await;
    other_leader(&pool, &org).await;
    let dave = member(&pool, &org, "dave", "user", org.other_department).await;
    member(&pool, &org, "erin", "user", org.other_department).await;
    let theirs = available_item(&pool, org.other_department, "PT-B-6").await;
    lend(&pool, theirs, dave).await;
    let app = TestApp::spawn(pool.clone()).await;

    // erin, of the item's department, reports dave's loan broken; olga approves.
    let id = filed(&signed_in(&app, "erin").await, theirs, "repair").await;
    let olga_browser = signed_in(&app, "olga").await;
    assert_eq!(decide(&olga_browser, id, "approve").await.status(), 200);
    assert_eq!(
        item_state(&pool, theirs).await,
        ("under_repair".to_owned(), None)
    );

    let told = eventually(20, async || {
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT kind FROM notifications WHERE user_id = $1")
                .bind(dave)
                .fetch_all(&pool)
                .await
                .expect("inbox");
        kinds == ["equipment.taken"]
    })
    .await;
    assert!(told, "the holder was told that the item left their hands");
    let inbox = signed_in(&app, "dave")
        .await
        .get("/notifications")
        .await
        .text()
        .await
        .expect("inbox page");
    assert!(inbox.contains("PT-B-6"), "the notice names the item");

    // The item's own trail row, in its department's audit trail.
    let changes: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before->>'holder_id', after->>'status' FROM audit_log
          WHERE entity_type = 'equipment' AND entity_id = $1",
    )
    .bind(theirs)
    .fetch_all(&pool)
    .await
    .expect("audit");
    assert_eq!(
        changes,
        [(
            "equipment.status_changed".to_owned(),
            Some(dave.to_string()),
            Some("under_repair".to_owned())
        )]
    );
    let trail = olga_browser
        .get(&format!(
            "/leader/audit?entity=equipment&entity_id={theirs}"
        ))
        .await
        .text()
        .await
        .expect("trail");
    assert!(trail.contains("equipment.status_changed"), "olga's trail");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_request_across_departments_shows_in_the_items_departments_trail(pool: PgPool) {
    let org = org(&pool).await;
    // A leader of a department below TEAM: alice's items are not theirs, but
    // items of their own department are, whoever asks for them.
    let lab = crate::users::department(&pool, "LAB", Some(org.department)).await;
    member(&pool, &org, "lena", "leader", lab).await;
    let lab_item = available_item(&pool, lab, "PT-L-1").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let id = filed(&alice, lab_item, "borrow").await;
    let department: i64 =
        sqlx::query_scalar("SELECT department_id FROM equipment_requests WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("request");
    assert_eq!(
        department, org.department,
        "an item of a department below the applicant's stays with the applicant's leaders"
    );
    let lena = signed_in(&app, "lena").await;
    let trail = lena
        .get(&format!(
            "/leader/audit?entity=equipment_request&entity_id={id}"
        ))
        .await
        .text()
        .await
        .expect("trail");
    assert!(
        trail.contains("request.submitted"),
        "the item's department sees requests on its items"
    );
}
