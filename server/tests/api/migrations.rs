use equipflow_server::infra::postgres::MIGRATOR;
use sqlx::PgPool;

const TABLES: [&str; 11] = [
    "departments",
    "users",
    "equipment_categories",
    "equipment",
    "equipment_requests",
    "notifications",
    "outbox",
    "processed_messages",
    "audit_log",
    "statistics_snapshots",
    "statistics_runs",
];

async fn existing_tables(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY 1",
    )
    .bind(&TABLES[..])
    .fetch_all(pool)
    .await
    .expect("list tables")
}

#[sqlx::test(migrations = false)]
async fn migrations_apply_revert_and_apply_again_on_an_empty_database(pool: PgPool) {
    assert!(existing_tables(&pool).await.is_empty());

    MIGRATOR.run(&pool).await.expect("apply");
    assert_eq!(existing_tables(&pool).await.len(), TABLES.len());

    // Running again is a no-op.
    MIGRATOR.run(&pool).await.expect("re-run");

    MIGRATOR.undo(&pool, 0).await.expect("revert all");
    assert!(
        existing_tables(&pool).await.is_empty(),
        "down migrations leave nothing behind"
    );

    MIGRATOR.run(&pool).await.expect("apply again");
    assert_eq!(existing_tables(&pool).await.len(), TABLES.len());
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_list_has_a_covering_index(pool: PgPool) {
    let definition: String = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'equipment_list_covering_idx'",
    )
    .fetch_one(&pool)
    .await
    .expect("covering index exists");
    assert!(
        definition.contains("(created_at DESC, id DESC)"),
        "{definition}"
    );
    assert!(
        definition.contains("INCLUDE (asset_code, name, model, status"),
        "{definition}"
    );
}

/// Returns the name of the constraint an insert violates.
async fn violated_constraint(pool: &PgPool, sql: &str) -> String {
    // Fixed test statements, not user input.
    let error = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .expect_err("constraint must refuse this row");
    error
        .as_database_error()
        .and_then(|e| e.constraint())
        .unwrap_or("<none>")
        .to_owned()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn constraints_guard_the_domain(pool: PgPool) {
    sqlx::query("INSERT INTO departments (code, name) VALUES ('D', 'Dept')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO equipment_categories (code, name) VALUES ('C', 'Cat')")
        .execute(&pool)
        .await
        .unwrap();
    let insert_item = |status: &str, code: &str| {
        format!(
            "INSERT INTO equipment (asset_code, name, category_id, department_id, status)
             VALUES ('{code}', 'Item', (SELECT id FROM equipment_categories), (SELECT id FROM departments), '{status}')"
        )
    };
    sqlx::query(sqlx::AssertSqlSafe(insert_item("available", "A-1")))
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(
        violated_constraint(&pool, &insert_item("lost", "A-2")).await,
        "equipment_status_valid"
    );
    assert_eq!(
        violated_constraint(&pool, &insert_item("available", "A-1")).await,
        "equipment_asset_code_key"
    );
    assert_eq!(
        violated_constraint(&pool, &insert_item("in_use", "A-3")).await,
        "equipment_holder_iff_in_use"
    );
    assert_eq!(
        violated_constraint(
            &pool,
            "INSERT INTO users (username, display_name, password_hash, role, department_id)
             VALUES ('someone', 'S', '$argon2id$x', 'root', (SELECT id FROM departments))"
        )
        .await,
        "users_role_valid"
    );
    assert_eq!(
        violated_constraint(
            &pool,
            "INSERT INTO users (username, display_name, password_hash, department_id)
             VALUES ('someone', 'S', 'plaintext', (SELECT id FROM departments))"
        )
        .await,
        "users_password_hash_argon2"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_audit_log_is_append_only(pool: PgPool) {
    sqlx::query("INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('equipment.create', 'equipment', 1)")
        .execute(&pool)
        .await
        .unwrap();
    let refused = sqlx::query("UPDATE audit_log SET action = 'equipment.delete'")
        .execute(&pool)
        .await;
    assert!(refused.is_err(), "updates are refused");
    let refused = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
    assert!(refused.is_err(), "deletes are refused");
}
