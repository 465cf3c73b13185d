use equipflow_server::startup::connect;
use sqlx::PgPool;

use crate::helpers::test_settings;

/// A port nothing listens on (reserved, and refused at once on loopback).
const DEAD: &str = "127.0.0.1:1";

async fn startup_error(overrides: &[(&str, String)]) -> String {
    match connect(&test_settings(overrides)).await {
        Ok(_) => panic!("start-up must fail"),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_with_its_password_hidden() {
    let message = startup_error(&[(
        "DATABASE_URL",
        format!("postgres://equipflow:hunter2@{DEAD}/equipflow"),
    )])
    .await;
    assert!(
        message.starts_with(
            "PostgreSQL at postgres://equipflow:***@127.0.0.1:1/equipflow is unreachable"
        ),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
    assert_eq!(message.lines().count(), 1, "one line");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_unreachable_redis_is_named_with_its_password_hidden(pool: PgPool) {
    let database_url = database_url_of(&pool);
    let message = startup_error(&[
        ("DATABASE_URL", database_url),
        ("REDIS_URL", format!("redis://:hunter2@{DEAD}")),
    ])
    .await;
    assert!(
        message.starts_with("Redis at redis://:***@127.0.0.1:1 is unreachable"),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_unreachable_rabbitmq_is_named_with_its_password_hidden(pool: PgPool) {
    let database_url = database_url_of(&pool);
    let message = startup_error(&[
        ("DATABASE_URL", database_url),
        ("AMQP_URL", format!("amqp://guest:hunter2@{DEAD}/%2f")),
    ])
    .await;
    assert!(
        message.starts_with("RabbitMQ at amqp://guest:***@127.0.0.1:1/%2f is unreachable"),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
}

fn database_url_of(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| equipflow_server::config::DEFAULT_DATABASE_URL.to_owned());
    let mut url = url::Url::parse(&base).expect("DATABASE_URL");
    url.set_path(
        pool.connect_options()
            .get_database()
            .expect("test database name"),
    );
    url.to_string()
}
