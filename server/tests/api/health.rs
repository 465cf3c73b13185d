use serde_json::Value;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::helpers::{TestApp, amqp_url, eventually, redis_url, socket_addr_of, with_addr};
use crate::proxy::TcpProxy;

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn healthz_answers_while_the_process_lives(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().contains_key("x-request-id"),
        "every response carries a request id"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn readyz_is_ready_when_every_dependency_answers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    for service in ["postgres", "redis", "rabbitmq"] {
        assert_eq!(body["checks"][service]["ok"], true, "{service}: {body}");
    }
}

async fn readiness(app: &TestApp) -> (u16, Value) {
    let response = app.get("/readyz").await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Stops one service behind a proxy and expects /readyz to name exactly it.
async fn assert_readyz_reports(app: &TestApp, proxy: &TcpProxy, service: &str) {
    assert_eq!(readiness(app).await.0, 200, "ready before {service} stops");
    proxy.stop();
    let reported = eventually(10, async || {
        let (status, body) = readiness(app).await;
        status == 503
            && body["failed"] == serde_json::json!([service])
            && body["checks"][service]["ok"] == false
    })
    .await;
    assert!(
        reported,
        "/readyz names {service}: {:?}",
        readiness(app).await
    );
    proxy.resume();
    assert!(
        eventually(30, async || readiness(app).await.0 == 200).await,
        "ready again once {service} is back"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn readyz_reports_a_stopped_redis(pool: PgPool) {
    let proxy = TcpProxy::start(socket_addr_of(&redis_url())).await;
    let app = TestApp::spawn_with(
        pool,
        &[("REDIS_URL", with_addr(&redis_url(), proxy.addr()))],
    )
    .await;
    assert_readyz_reports(&app, &proxy, "redis").await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn readyz_reports_a_stopped_rabbitmq(pool: PgPool) {
    let proxy = TcpProxy::start(socket_addr_of(&amqp_url())).await;
    let app =
        TestApp::spawn_with(pool, &[("AMQP_URL", with_addr(&amqp_url(), proxy.addr()))]).await;
    assert_readyz_reports(&app, &proxy, "rabbitmq").await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn readyz_reports_a_stopped_postgres(pool: PgPool) {
    // The test database, reached through the proxy.
    let options = (*pool.connect_options()).clone();
    let proxy = TcpProxy::start(format!("127.0.0.1:{}", options.get_port()).parse().unwrap()).await;
    let proxied = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(1))
        .connect_with(options.host("127.0.0.1").port(proxy.addr().port()))
        .await
        .expect("pool through proxy");
    let app = TestApp::spawn(proxied).await;
    assert_readyz_reports(&app, &proxy, "postgres").await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn metrics_are_exported_in_prometheus_text_format(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let body = response.text().await.unwrap();
    assert!(
        body.contains(
            r#"equipflow_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{body}"
    );
    assert!(body.contains("equipflow_amqp_connected 1"), "{body}");
    assert!(body.trim_end().ends_with("# EOF"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn server_function_errors_are_counted_with_their_own_status(pool: PgPool) {
    crate::users::org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = crate::browser::signed_in(&app, "alice").await;
    let invalid = alice
        .call(
            "/api/rpc/requests/file",
            &[("kind", "borrow"), ("reason", "")],
        )
        .await;
    assert_eq!(invalid.status(), 422);
    let forbidden = alice
        .call(
            "/api/rpc/approvals/decide",
            &[("id", "1"), ("decision", "approve")],
        )
        .await;
    assert_eq!(forbidden.status(), 403);
    let body = app.get("/metrics").await.text().await.expect("metrics");
    let series = |route: &str| -> Vec<&str> {
        body.lines()
            .filter(|l| l.starts_with("equipflow_http_requests_total") && l.contains(route))
            .collect()
    };
    assert_eq!(
        series("requests/file"),
        [
            r#"equipflow_http_requests_total{method="POST",route="/api/rpc/requests/file",status="422"} 1"#
        ],
        "{body}"
    );
    assert!(
        series("approvals/decide")
            .iter()
            .all(|l| l.contains(r#"status="403""#)),
        "{body}"
    );
}
