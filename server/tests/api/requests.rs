//! Filing, deciding and cancelling requests: the rules, the authorisation,
//! and one transaction per decision (request, item, audit row, outbox row).
use std::sync::Arc;

use serde_json::Value;
use sqlx::PgPool;

use crate::browser::signed_in;
use crate::flows::{available_item, decide, error_body, file, filed};
use crate::helpers::TestApp;
use crate::users::{PASSWORD, department, org};

async fn count(db: &PgPool, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_one(db)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_approved_loan_lends_the_item_in_one_transaction(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-1").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;

    let id = filed(&alice, item, "borrow").await;
    let outbox =
        "SELECT count(*) FROM outbox WHERE aggregate_id = $1 AND routing_key LIKE 'request.%'";
    assert_eq!(count(&pool, outbox, id).await, 1, "request.submitted");

    let response = decide(&bob, id, "approve").await;
    assert_eq!(response.status(), 200);
    let row: Value = response.json().await.expect("row");
    assert_eq!(row["status"], "approved");
    assert_eq!(row["approver_name"], "bob");

    let (status, holder): (String, Option<i64>) =
        sqlx::query_as("SELECT status, holder_id FROM equipment WHERE id = $1")
            .bind(item)
            .fetch_one(&pool)
            .await
            .expect("item");
    assert_eq!((status.as_str(), holder), ("in_use", Some(org.user)));
    assert_eq!(count(&pool, outbox, id).await, 2, "request.approved too");
    let audit =
        "SELECT count(*) FROM audit_log WHERE entity_type = 'equipment_request' AND entity_id = $1";
    assert_eq!(count(&pool, audit, id).await, 2);
    let (was, now): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT before->>'status', after->>'status' FROM audit_log
          WHERE entity_type = 'equipment_request' AND entity_id = $1 AND action = 'request.approved'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .expect("audit row");
    assert_eq!(
        (was.as_deref(), now.as_deref()),
        (Some("pending"), Some("approved")),
        "the decision's audit row keeps the request as it was"
    );

    // The item's page shows the new holder at once (its cache was invalidated).
    let page = alice
        .get(&format!("/equipment/{item}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains(">alice<"), "holder on the page");
    // And the holder may now return it, which others may not.
    let carol = signed_in(&app, "carol").await;
    let refused = file(&carol, item, "return").await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        error_body(refused).await["Conflict"],
        "request_not_your_item"
    );
    filed(&alice, item, "return").await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn fields_a_user_must_not_set_are_ignored(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-2").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let response = alice
        .call(
            "/api/rpc/requests/file",
            &[
                ("equipment_id", &item.to_string()),
                ("kind", "repair"),
                ("reason", "fan is loud"),
                ("status", "approved"),
                ("approver_id", &org.leader.to_string()),
                ("department_id", &org.other_department.to_string()),
                ("applicant_id", &org.admin.to_string()),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let (status, applicant, dept, approver): (String, i64, i64, Option<i64>) = sqlx::query_as(
        "SELECT status, applicant_id, department_id, approver_id FROM equipment_requests",
    )
    .fetch_one(&pool)
    .await
    .expect("request");
    assert_eq!(
        (status.as_str(), applicant, dept, approver),
        ("pending", org.user, org.department, None)
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn only_what_the_item_allows_is_accepted_with_a_clear_message(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-3").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;

    let response = file(&alice, item, "return").await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        error_body(response).await["Conflict"],
        "request_not_your_item"
    );

    let response = alice
        .call(
            "/api/rpc/requests/file",
            &[
                ("equipment_id", &item.to_string()),
                ("kind", "borrow"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = error_body(response).await.to_string();
    for field in ["reason", "period_start", "period_end"] {
        assert!(body.contains(field), "{field} named in {body}");
    }

    filed(&alice, item, "borrow").await;
    let again = file(&alice, item, "borrow").await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        error_body(again).await["Conflict"],
        "request_duplicate_pending"
    );
    let missing = file(&alice, 999_999, "borrow").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM equipment_requests WHERE $1 = $1",
            0
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_leader_cannot_decide_or_see_another_departments_requests(pool: PgPool) {
    let org = org(&pool).await;
    // dave files in the other department, which bob does not lead.
    let hash = app::auth::password::hash_password(PASSWORD.to_owned())
        .await
        .expect("hash");
    crate::users::user_with_hash(
        &pool,
        &crate::users::NewUser {
            username: "dave",
            role: "user",
            department_id: org.other_department,
            phone: Some("13900000009"),
        },
        &hash,
    )
    .await;
    let item = available_item(&pool, org.other_department, "EQ-4").await;
    let app = TestApp::spawn(pool.clone()).await;
    let dave = signed_in(&app, "dave").await;
    let bob = signed_in(&app, "bob").await;
    let alice = signed_in(&app, "alice").await;
    let id = filed(&dave, item, "borrow").await;

    assert_eq!(
        decide(&bob, id, "approve").await.status(),
        404,
        "not his department"
    );
    assert_eq!(
        decide(&alice, id, "approve").await.status(),
        403,
        "not a leader"
    );
    let queue: Value = bob
        .call("/api/rpc/approvals/pending", &[])
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue.as_array().map(Vec::len), Some(0), "{queue}");
    // The admin sees and decides everything.
    let carol = signed_in(&app, "carol").await;
    let queue: Value = carol
        .call("/api/rpc/approvals/pending", &[])
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue.as_array().map(Vec::len), Some(1));
    assert_eq!(decide(&carol, id, "reject").await.status(), 200);
    // A sub-department's requests are the leader's too.
    let sub = department(&pool, "SUB", Some(org.department)).await;
    crate::users::user_with_hash(
        &pool,
        &crate::users::NewUser {
            username: "erin",
            role: "user",
            department_id: sub,
            phone: Some("13900000010"),
        },
        &hash,
    )
    .await;
    let erin = signed_in(&app, "erin").await;
    let sub_item = available_item(&pool, sub, "EQ-4B").await;
    let sub_request = filed(&erin, sub_item, "borrow").await;
    assert_eq!(decide(&bob, sub_request, "approve").await.status(), 200);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn nobody_decides_their_own_request(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-5").await;
    let app = TestApp::spawn(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;
    let id = filed(&bob, item, "scrap").await;
    let response = decide(&bob, id, "approve").await;
    assert_eq!(response.status(), 409);
    assert_eq!(error_body(response).await["Conflict"], "request_own");
    let queue: Value = bob
        .call("/api/rpc/approvals/pending", &[])
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(
        queue.as_array().map(Vec::len),
        Some(0),
        "his own is not in his queue"
    );
    let carol = signed_in(&app, "carol").await;
    assert_eq!(decide(&carol, id, "approve").await.status(), 200);
    let status: String = sqlx::query_scalar("SELECT status FROM equipment WHERE id = $1")
        .bind(item)
        .fetch_one(&pool)
        .await
        .expect("item");
    assert_eq!(status, "scrapped");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn of_fifty_concurrent_decisions_exactly_one_wins(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-6").await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[("EQUIPFLOW_DB_MAX_CONNECTIONS", "30".to_owned())],
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    let bob = Arc::new(signed_in(&app, "bob").await);
    let id = filed(&alice, item, "borrow").await;

    let calls = (0..50).map(|i| {
        let bob = bob.clone();
        tokio::spawn(async move {
            let decision = if i % 2 == 0 { "approve" } else { "reject" };
            decide(&bob, id, decision).await.status().as_u16()
        })
    });
    let statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let decisions = count(
        &pool,
        "SELECT count(*) FROM outbox WHERE aggregate_id = $1 AND routing_key IN ('request.approved', 'request.rejected')",
        id,
    )
    .await;
    assert_eq!(decisions, 1, "exactly one decision event");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn two_loans_of_one_item_cannot_both_be_approved(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-7").await;
    let app = TestApp::spawn(pool.clone()).await;
    let hash = app::auth::password::hash_password(PASSWORD.to_owned())
        .await
        .expect("hash");
    crate::users::user_with_hash(
        &pool,
        &crate::users::NewUser {
            username: "frank",
            role: "user",
            department_id: org.department,
            phone: Some("13900000011"),
        },
        &hash,
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    let frank = signed_in(&app, "frank").await;
    let bob = Arc::new(signed_in(&app, "bob").await);
    let first = filed(&alice, item, "borrow").await;
    let second = filed(&frank, item, "borrow").await;

    let (a, b) = tokio::join!(
        decide(&bob, first, "approve"),
        decide(&bob, second, "approve")
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status() == 409 { a } else { b };
    assert_eq!(
        error_body(loser).await["Conflict"],
        "decision_not_available"
    );
    let approved = count(
        &pool,
        "SELECT count(*) FROM equipment_requests WHERE equipment_id = $1 AND status = 'approved'",
        item,
    )
    .await;
    assert_eq!(approved, 1);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_applicant_cancels_only_their_own_pending_request(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EQ-8").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let carol = signed_in(&app, "carol").await;
    let id = filed(&alice, item, "repair").await;
    let id_text = id.to_string();
    let form = [("id", id_text.as_str()), ("confirmed", "yes")];
    let path = "/api/rpc/requests/cancel";
    assert_eq!(
        carol.call(path, &form).await.status(),
        404,
        "someone else's"
    );
    assert_eq!(alice.call(path, &form).await.status(), 200);
    let again = alice.call(path, &form).await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        error_body(again).await["Conflict"],
        "request_already_decided"
    );
    let bob = signed_in(&app, "bob").await;
    assert_eq!(
        decide(&bob, id, "approve").await.status(),
        409,
        "cancelled stays cancelled"
    );

    let mine: Value = alice
        .call("/api/rpc/requests/mine", &[("status", "cancelled")])
        .await
        .json()
        .await
        .expect("mine");
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
    let bad = alice
        .call("/api/rpc/requests/mine", &[("status", "lost")])
        .await;
    assert_eq!(bad.status(), 422);
}
