use equipflow_server::seed::{DEMO_ACCOUNTS, seed_demo, seed_equipment, seed_requests};
use secrecy::SecretString;
use sqlx::PgPool;

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn bulk_seed_writes_exactly_n_rows(pool: PgPool) {
    let mut reported = Vec::new();
    let report = seed_equipment(&pool, 2_345, |done| reported.push(done))
        .await
        .expect("seed");
    assert_eq!(report.inserted, 2_345);
    let (rows, codes): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT asset_code) FROM equipment")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((rows, codes), (2_345, 2_345));
    assert_eq!(reported.last(), Some(&2_345));

    // A second run adds rows instead of colliding with the first.
    seed_equipment(&pool, 10, |_| {})
        .await
        .expect("second seed");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 2_355);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn bulk_rows_share_created_at_values_to_exercise_pagination_ties(pool: PgPool) {
    seed_equipment(&pool, 300, |_| {}).await.expect("seed");
    let distinct: i64 = sqlx::query_scalar("SELECT count(DISTINCT created_at) FROM equipment")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(distinct < 300, "some rows share created_at");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn demo_seed_is_idempotent_and_hashes_with_the_stated_parameters(pool: PgPool) {
    let password = SecretString::from("correct horse battery".to_owned());
    let first = seed_demo(&pool, &password).await.expect("first seed");
    let second = seed_demo(&pool, &password).await.expect("second seed");
    assert_eq!(first.equipment_total, 200);
    assert_eq!(second.equipment_total, 200);

    let users: Vec<(String, String, String)> =
        sqlx::query_as("SELECT username, role, password_hash FROM users ORDER BY username")
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut expected: Vec<&str> = DEMO_ACCOUNTS.iter().map(|a| a.0).collect();
    expected.sort_unstable();
    assert_eq!(
        users.iter().map(|u| u.0.as_str()).collect::<Vec<_>>(),
        expected
    );
    for (_, _, hash) in &users {
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
    }
    let statuses: i64 = sqlx::query_scalar("SELECT count(DISTINCT status) FROM equipment")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(statuses, 4, "every status is represented in the demo");

    // The demo's request history is written once: a second seed adds none.
    let (requests, overdue): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM equipment_requests),
                (SELECT count(*) FROM equipment WHERE status = 'in_use' AND due_on < current_date)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(requests > 50, "history for the statistics: {requests}");
    assert!(overdue > 0, "some demo loans are overdue");
    seed_demo(&pool, &password).await.expect("third seed");
    let again: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(again, requests);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn bulk_history_is_loans_returned_after_they_began(pool: PgPool) {
    let password = SecretString::from("correct horse battery".to_owned());
    seed_demo(&pool, &password).await.expect("demo");
    seed_equipment(&pool, 1_000, |_| {}).await.expect("items");
    let report = seed_requests(&pool, 4_000, |_| {}).await.expect("history");
    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM equipment_requests WHERE reason = 'synthetic history'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(u64::try_from(rows).unwrap(), report.inserted);
    assert!(
        rows > 3_000 && rows <= 4_000,
        "about the asked number: {rows}"
    );
    // Every synthetic return answers an approved loan of the same item by the
    // same person that began before it.
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM equipment_requests r
          WHERE r.reason = 'synthetic history' AND r.kind = 'return'
            AND NOT EXISTS (SELECT 1 FROM equipment_requests b
                             WHERE b.kind = 'borrow' AND b.status = 'approved'
                               AND b.equipment_id = r.equipment_id AND b.applicant_id = r.applicant_id
                               AND b.decided_at < r.created_at)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    let kinds: i64 = sqlx::query_scalar("SELECT count(DISTINCT kind) FROM equipment_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kinds, 4);
}
