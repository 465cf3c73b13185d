//! The ledger: 200 approvals while the broker goes away in the middle; every
//! acknowledged approval ends as exactly one notification, none lost, none
//! doubled, and the outbox drains within 30 s of the broker's return.
use std::sync::Arc;
use std::time::Instant;

use sqlx::PgPool;

use crate::browser::signed_in;
use crate::flows::{available_item, decide, filed};
use crate::helpers::{TestApp, amqp_url, eventually, socket_addr_of, with_addr};
use crate::proxy::TcpProxy;
use crate::users::org;

const APPROVALS: usize = 200;

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn two_hundred_approvals_across_a_broker_outage_give_exactly_one_notification_each(
    pool: PgPool,
) {
    let org = org(&pool).await;
    let proxy = TcpProxy::start(socket_addr_of(&amqp_url())).await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[("AMQP_URL", with_addr(&amqp_url(), proxy.addr()))],
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    let bob = Arc::new(signed_in(&app, "bob").await);
    let mut requests = Vec::with_capacity(APPROVALS);
    for n in 0..APPROVALS {
        let item = available_item(&pool, org.department, &format!("LEDGER-{n}")).await;
        requests.push(filed(&alice, item, "borrow").await);
    }

    let mut acknowledged = Vec::new();
    for (n, chunk) in requests.chunks(10).enumerate() {
        if n == 8 {
            proxy.stop(); // the broker goes away mid-run
            assert!(eventually(10, async || !app.state.amqp.is_connected()).await);
        }
        if n == 14 {
            let waiting: i64 =
                sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    .fetch_one(&pool)
                    .await
                    .expect("count");
            assert!(
                waiting >= 60,
                "decisions made during the outage wait: {waiting}"
            );
            proxy.resume();
        }
        let calls = chunk.iter().map(|id| {
            let bob = bob.clone();
            let id = *id;
            tokio::spawn(async move { (id, decide(&bob, id, "approve").await.status().as_u16()) })
        });
        for result in futures::future::join_all(calls).await {
            let (id, status) = result.expect("task");
            if status == 200 {
                acknowledged.push(id);
            }
        }
    }
    assert_eq!(acknowledged.len(), APPROVALS, "every approval committed");
    let back = Instant::now();
    let drained = eventually(30, async || {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM outbox WHERE published_at IS NULL AND delay_tier IS NULL",
        )
        .fetch_one(&pool)
        .await
        .expect("count")
            == 0
    })
    .await;
    assert!(
        drained,
        "the outbox drains within 30 s of the broker's return"
    );
    // The bound is on the outbox (above); consuming 200 events may take longer on a
    // loaded machine (the whole suite runs in parallel), so wait generously here.
    let delivered = eventually(120, async || {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'request.approved'",
        )
        .bind(org.user)
        .fetch_one(&pool)
        .await
        .expect("count")
            >= i64::try_from(APPROVALS).expect("count")
    })
    .await;
    assert!(
        delivered,
        "every approval reached the inbox ({:?} after return)\n{}",
        back.elapsed(),
        explain(&pool, &app, org.user).await
    );
    let per_request: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, count(n.id) FROM equipment_requests r
           LEFT JOIN notifications n ON n.request_id = r.id AND n.kind = 'request.approved'
          WHERE r.id = ANY($1) GROUP BY r.id",
    )
    .bind(&acknowledged)
    .fetch_all(&pool)
    .await
    .expect("ledger");
    let lost = per_request.iter().filter(|(_, n)| *n == 0).count();
    let doubled = per_request.iter().filter(|(_, n)| *n > 1).count();
    assert_eq!(
        (per_request.len(), lost, doubled),
        (APPROVALS, 0, 0),
        "{}",
        explain(&pool, &app, org.user).await
    );
}

/// Where the events are, for a failure message: the inbox, the consumer's
/// ledger and failures, and the broker's queues with their consumers.
async fn explain(pool: &PgPool, app: &TestApp, applicant: i64) -> String {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap_or(-1)
    };
    let inbox: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'request.approved'",
    )
    .bind(applicant)
    .fetch_one(pool)
    .await
    .unwrap_or(-1);
    let failures: Vec<(String, i32, String)> = sqlx::query_as(
        "SELECT message_id::text, failures, error FROM message_failures ORDER BY failed_at DESC LIMIT 5",
    )
    .fetch_all(pool)
    .await
    .unwrap_or_default();
    let mut queues = String::new();
    if let Ok(connection) =
        lapin::Connection::connect(&amqp_url(), lapin::ConnectionProperties::default()).await
        && let Ok(channel) = connection.create_channel().await
    {
        let topology = app.state.amqp.topology();
        for name in [topology.notifications_queue(), topology.dead_letter_queue()] {
            let passive = lapin::options::QueueDeclareOptions {
                passive: true,
                ..lapin::options::QueueDeclareOptions::default()
            };
            match channel
                .queue_declare(
                    name.as_str().into(),
                    passive,
                    lapin::types::FieldTable::default(),
                )
                .await
            {
                Ok(q) => queues.push_str(&format!(
                    "  {name}: {} ready, {} consumers\n",
                    q.message_count(),
                    q.consumer_count()
                )),
                Err(error) => queues.push_str(&format!("  {name}: {error}\n")),
            }
        }
        let _ = connection.close(200, "done".into()).await;
    }
    format!(
        "inbox (request.approved): {inbox}\nprocessed_messages: {}\noutbox unpublished: {}\n\
         message_failures (latest): {failures:?}\nqueues:\n{queues}app connected to the broker: {}",
        count("SELECT count(*) FROM processed_messages").await,
        count("SELECT count(*) FROM outbox WHERE published_at IS NULL").await,
        app.state.amqp.is_connected()
    )
}
