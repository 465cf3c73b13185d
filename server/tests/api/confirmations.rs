//! Irreversible actions ask first: without `confirmed=yes` the server refuses
//! (whatever the page does); without JavaScript the question is a page of its
//! own whose form does the action and returns where it was asked from.
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::signed_in;
use crate::flows::{available_item, filed};
use crate::helpers::TestApp;
use crate::users::org;

async fn status_of(pool: &PgPool, sql: &'static str, id: i64) -> String {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("status")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn nothing_irreversible_happens_unasked(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "CF-1").await;
    let spare = available_item(&pool, org.department, "CF-2").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;
    let carol = signed_in(&app, "carol").await;
    let request = filed(&alice, item, "repair").await;
    let alice_id = org.user.to_string();

    let unasked = [
        (
            &alice,
            "/api/rpc/requests/cancel",
            vec![("id", request.to_string())],
        ),
        (
            &carol,
            "/api/rpc/equipment/retire",
            vec![("id", spare.to_string()), ("version", "1".to_owned())],
        ),
        (
            &bob,
            "/api/rpc/people/set-active",
            vec![
                ("user_id", alice_id.clone()),
                ("active", "false".to_owned()),
            ],
        ),
        (
            &bob,
            "/api/rpc/people/reset-password",
            vec![("user_id", alice_id.clone())],
        ),
    ];
    for (browser, path, form) in unasked {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = browser.call(path, &pairs).await;
        assert_eq!(response.status(), 422, "{path}");
        let body: Value = response.json().await.expect("error");
        assert_eq!(
            body["Validation"]["message"], "confirmation_required",
            "{path}"
        );
    }
    assert_eq!(
        status_of(
            &pool,
            "SELECT status FROM equipment_requests WHERE id = $1",
            request
        )
        .await,
        "pending"
    );
    assert_eq!(
        status_of(&pool, "SELECT status FROM equipment WHERE id = $1", spare).await,
        "available"
    );
    assert_eq!(
        status_of(&pool, "SELECT status FROM users WHERE id = $1", org.user).await,
        "active"
    );
    // Enabling someone again undoes nothing and needs no question.
    let enable = bob
        .call(
            "/api/rpc/people/set-active",
            &[("user_id", &alice_id), ("active", "true")],
        )
        .await;
    assert_eq!(enable.status(), 200);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn without_javascript_the_question_is_a_page_whose_form_does_it(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "CF-3").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let request = filed(&alice, item, "repair").await;

    let page = alice
        .get(&format!(
            "/confirm/cancel-request/{request}?back=%2Frequests%3Fstatus%3Dpending"
        ))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("CF-3"), "the question names the item");
    assert!(
        html.contains("action=\"/api/rpc/requests/cancel\""),
        "{html}"
    );
    assert!(html.contains("name=\"confirmed\" value=\"yes\""));

    // Somebody else's request is not theirs to be asked about.
    let carol = signed_in(&app, "carol").await;
    let other = carol
        .get(&format!("/confirm/cancel-request/{request}"))
        .await;
    assert_eq!(other.status(), 404);

    // The page's form, posted as a browser without JavaScript posts it.
    let response = alice
        .client
        .post(alice.url("/api/rpc/requests/cancel"))
        .header("accept", "text/html")
        .form(&[
            ("id", request.to_string().as_str()),
            ("confirmed", "yes"),
            ("back", "/requests?status=pending"),
        ])
        .send()
        .await
        .expect("post");
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(
        response.headers()["location"],
        "/requests?status=pending",
        "back where it was asked"
    );
    assert_eq!(
        status_of(
            &pool,
            "SELECT status FROM equipment_requests WHERE id = $1",
            request
        )
        .await,
        "cancelled"
    );
}
