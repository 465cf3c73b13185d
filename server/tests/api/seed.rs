use equipflow_server::seed::{DEMO_ACCOUNTS, seed_demo, seed_equipment};
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
}
