//! The event path against the real RabbitMQ: outbox relay, notification
//! consumer, dead-lettering and delayed reminders.
use std::time::Duration;

use lapin::options::{
    BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::signed_in;
use crate::flows::{available_item, decide, filed};
use crate::helpers::{TestApp, amqp_url, eventually, socket_addr_of, with_addr};
use crate::proxy::TcpProxy;
use crate::users::org;

async fn broker() -> (Connection, Channel) {
    let connection = Connection::connect(&amqp_url(), ConnectionProperties::default())
        .await
        .expect("broker");
    let channel = connection.create_channel().await.expect("channel");
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .expect("confirms");
    (connection, channel)
}

/// A queue of the test's own that sees every event the app publishes.
async fn tap(channel: &Channel, app: &TestApp) -> String {
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .expect("tap queue");
    channel
        .queue_bind(
            queue.name().clone(),
            app.state.amqp.topology().events_exchange().into(),
            "#".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("bind tap");
    queue.name().to_string()
}

async fn publish(channel: &Channel, exchange: &str, key: &str, id: Uuid, body: &[u8]) {
    channel
        .basic_publish(
            exchange.into(),
            key.into(),
            BasicPublishOptions::default(),
            body,
            BasicProperties::default()
                .with_message_id(id.to_string().into())
                .with_delivery_mode(2),
        )
        .await
        .expect("publish")
        .await
        .expect("confirm");
}

async fn notifications(db: &PgPool, user: i64, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2")
        .bind(user)
        .bind(kind)
        .fetch_one(db)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_decision_reaches_the_applicants_inbox_once_however_often_it_is_delivered(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EV-1").await;
    let other = available_item(&pool, org.department, "EV-2").await;
    let app = TestApp::spawn(pool.clone()).await;
    let alice = signed_in(&app, "alice").await;
    let bob = signed_in(&app, "bob").await;
    let id = filed(&alice, item, "borrow").await;
    assert!(
        eventually(10, async || notifications(
            &pool,
            org.leader,
            "request.submitted"
        )
        .await
            == 1)
        .await,
        "the leader is told of the submission"
    );
    assert_eq!(decide(&bob, id, "approve").await.status(), 200);
    assert!(
        eventually(10, async || notifications(
            &pool,
            org.user,
            "request.approved"
        )
        .await
            == 1)
        .await,
        "the applicant is told of the decision"
    );

    // The broker delivers the same event again (as after a lost ack).
    let (event_id, payload): (Uuid, serde_json::Value) =
        sqlx::query_as("SELECT id, payload FROM outbox WHERE routing_key = 'request.approved'")
            .fetch_one(&pool)
            .await
            .expect("event");
    let (connection, channel) = broker().await;
    let exchange = app.state.amqp.topology().events_exchange();
    let body = serde_json::to_vec(&payload).expect("body");
    publish(&channel, &exchange, "request.approved", event_id, &body).await;
    publish(&channel, &exchange, "request.approved", event_id, &body).await;
    // A later event marks when the repeats have been consumed (one consumer, in order).
    let marker = filed(&alice, other, "repair").await;
    assert!(
        eventually(10, async || {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM notifications WHERE request_id = $1")
                .bind(marker)
                .fetch_one(&pool)
                .await
                .expect("count")
                == 1
        })
        .await
    );
    assert_eq!(
        notifications(&pool, org.user, "request.approved").await,
        1,
        "still one"
    );
    let _ = connection.close(200, "done".into()).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_failing_message_is_dead_lettered_while_good_ones_keep_flowing(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EV-3").await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[("EQUIPFLOW_AMQP_DELIVERY_LIMIT", "3".to_owned())],
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    let (connection, channel) = broker().await;
    let topology = app.state.amqp.topology().clone();
    let poison = Uuid::now_v7();
    publish(
        &channel,
        &topology.events_exchange(),
        "request.submitted",
        poison,
        b"{not json",
    )
    .await;
    filed(&alice, item, "borrow").await;
    assert!(
        eventually(10, async || notifications(
            &pool,
            org.leader,
            "request.submitted"
        )
        .await
            == 1)
        .await,
        "good events flow while the bad one is retried"
    );
    let dead = topology.dead_letter_queue();
    assert!(
        eventually(20, async || {
            let queue = channel
                .queue_declare(
                    dead.as_str().into(),
                    QueueDeclareOptions {
                        passive: true,
                        ..QueueDeclareOptions::default()
                    },
                    FieldTable::default(),
                )
                .await
                .expect("dead-letter queue");
            queue.message_count() == 1
        })
        .await,
        "dead-lettered after its delivery limit"
    );
    let (failures, error): (i32, String) =
        sqlx::query_as("SELECT failures, error FROM message_failures WHERE message_id = $1")
            .bind(poison)
            .fetch_one(&pool)
            .await
            .expect("failure recorded");
    assert!(failures >= 3, "{failures}");
    assert!(error.contains("unreadable"), "{error}");

    // An admin sees it with its x-death and our error, and re-queues it.
    let carol = signed_in(&app, "carol").await;
    let listed: serde_json::Value = carol
        .call("/api/rpc/dead-letters/list", &[])
        .await
        .json()
        .await
        .expect("dead letters");
    assert_eq!(listed["count"], 1, "{listed}");
    let letter = &listed["messages"][0];
    assert_eq!(letter["message_id"], poison.to_string());
    assert_eq!(letter["routing_key"], "request.submitted");
    assert_eq!(letter["reason"], "delivery_limit", "{letter}");
    assert!(
        letter["error"]
            .as_str()
            .is_some_and(|e| e.contains("unreadable"))
    );
    let requeued_at = chrono::Utc::now();
    let poison_id = poison.to_string();
    let response = carol
        .call(
            "/api/rpc/dead-letters/requeue",
            &[("message_id", poison_id.as_str())],
        )
        .await;
    assert_eq!(response.status(), 200);
    // Still poison: it goes through the consumer again and back to the dead letters.
    assert!(
        eventually(20, async || {
            sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>(
                "SELECT failed_at FROM message_failures WHERE message_id = $1",
            )
            .bind(poison)
            .fetch_optional(&pool)
            .await
            .expect("failure")
            .is_some_and(|at| at > requeued_at)
        })
        .await,
        "re-queued into the consumer"
    );
    let missing = carol
        .call(
            "/api/rpc/dead-letters/requeue",
            &[("message_id", "no-such-id")],
        )
        .await;
    assert_eq!(missing.status(), 404);
    let _ = connection.close(200, "done".into()).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn nothing_is_published_before_its_transaction_commits(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let (connection, channel) = broker().await;
    let queue = tap(&channel, &app).await;
    let mut tx = pool.begin().await.expect("tx");
    let id = app::events::outbox::enqueue(
        &mut tx,
        app::events::outbox::OutboxEvent {
            aggregate_type: "test",
            aggregate_id: 1,
            routing_key: "test.pending",
            payload: &serde_json::json!({"n": 1}),
        },
    )
    .await
    .expect("enqueue");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let early = channel
        .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: true })
        .await
        .expect("get");
    assert!(early.is_none(), "published before commit");
    tx.commit().await.expect("commit");
    let mut seen = None;
    assert!(
        eventually(5, async || {
            seen = channel
                .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: true })
                .await
                .expect("get")
                .map(|m| m.delivery.properties.message_id().clone());
            seen.is_some()
        })
        .await,
        "published after commit"
    );
    assert_eq!(
        seen.flatten().map(|s| s.to_string()),
        Some(id.to_string()),
        "message id = event id"
    );
    let _ = connection.close(200, "done".into()).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_unroutable_event_stays_unpublished(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let mut tx = pool.begin().await.expect("tx");
    let id = app::events::outbox::enqueue(
        &mut tx,
        app::events::outbox::OutboxEvent {
            aggregate_type: "test",
            aggregate_id: 1,
            routing_key: "nobody.listens",
            payload: &serde_json::json!({}),
        },
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    let state = async || {
        sqlx::query_as::<_, (Option<chrono::DateTime<chrono::Utc>>, i32, Option<String>)>(
            "SELECT published_at, attempts, last_error FROM outbox WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("row")
    };
    assert!(eventually(10, async || state().await.1 >= 1).await, "tried");
    let (published, _, error) = state().await;
    assert_eq!(published, None, "a returned message is not published");
    assert_eq!(error.as_deref(), Some("unroutable"));
    drop(app);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn events_committed_while_the_broker_is_away_arrive_once_after_it_returns(pool: PgPool) {
    let org = org(&pool).await;
    let proxy = TcpProxy::start(socket_addr_of(&amqp_url())).await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[("AMQP_URL", with_addr(&amqp_url(), proxy.addr()))],
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    proxy.stop();
    assert!(eventually(10, async || !app.state.amqp.is_connected()).await);
    let mut filed_ids = Vec::new();
    for n in 0..5 {
        let item = available_item(&pool, org.department, &format!("AWAY-{n}")).await;
        filed_ids.push(filed(&alice, item, "borrow").await);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let unpublished: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(unpublished, 5, "kept while the broker is away");
    proxy.resume();
    assert!(
        eventually(40, async || notifications(
            &pool,
            org.leader,
            "request.submitted"
        )
        .await
            == 5)
        .await,
        "every event arrives after recovery"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        notifications(&pool, org.leader, "request.submitted").await,
        5,
        "none twice"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_delayed_reminder_fires_once(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "LATE-1").await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[
            ("EQUIPFLOW_AMQP_DELAY_TIERS", "1s,1m".to_owned()),
            ("EQUIPFLOW_REMIND_PENDING_AFTER_SECS", "2".to_owned()),
        ],
    )
    .await;
    let alice = signed_in(&app, "alice").await;
    filed(&alice, item, "borrow").await;
    assert!(
        eventually(20, async || notifications(
            &pool,
            org.leader,
            "reminder.pending"
        )
        .await
            == 1)
        .await,
        "the leader is reminded"
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        notifications(&pool, org.leader, "reminder.pending").await,
        1,
        "once"
    );
    // A decided request is not reminded about.
    let decided_item = available_item(&pool, org.department, "LATE-2").await;
    let id = filed(&alice, decided_item, "repair").await;
    let bob = signed_in(&app, "bob").await;
    assert_eq!(decide(&bob, id, "reject").await.status(), 200);
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        notifications(&pool, org.leader, "reminder.pending").await,
        1
    );
}

/// Found in CI: a busy or absent database made the consumer requeue each
/// delivery, every requeue spent one of its tries, and good notifications
/// were dead-lettered. Failures of the system must not spend a message's tries.
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_database_outage_spends_none_of_a_deliverys_tries(pool: PgPool) {
    let org = org(&pool).await;
    let item = available_item(&pool, org.department, "EV-9").await;
    let options = (*pool.connect_options()).clone();
    let db_proxy = TcpProxy::start(
        format!("127.0.0.1:{}", options.get_port())
            .parse()
            .expect("addr"),
    )
    .await;
    let proxied = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_with(options.host("127.0.0.1").port(db_proxy.addr().port()))
        .await
        .expect("pool through proxy");
    let app = TestApp::spawn_with(
        proxied,
        &[("EQUIPFLOW_AMQP_DELIVERY_LIMIT", "2".to_owned())],
    )
    .await;
    let (connection, channel) = broker().await;
    let topology = app.state.amqp.topology().clone();
    let request_id: i64 = sqlx::query_scalar(
        "INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, reason,
                status, approver_id, decided_at, period_start, period_end)
         VALUES ('borrow', $1, $2, $3, 'trip', 'approved', $4, now(), current_date, current_date)
         RETURNING id",
    )
    .bind(item)
    .bind(org.user)
    .bind(org.department)
    .bind(org.leader)
    .fetch_one(&pool)
    .await
    .expect("request");
    let event = app::requests::RequestEvent {
        request_id,
        kind: app::requests::RequestKind::Borrow,
        status: app::requests::RequestStatus::Approved,
        equipment_id: item,
        asset_code: "EV-9".into(),
        equipment_name: "EV-9 laptop".into(),
        applicant_id: org.user,
        applicant_name: "alice".into(),
        department_id: org.department,
        approver_name: Some("bob".into()),
        comment: None,
        period_end: None,
        displaced_holder_id: None,
    };
    let id = Uuid::now_v7();
    db_proxy.stop();
    publish(
        &channel,
        &topology.events_exchange(),
        "request.approved",
        id,
        &serde_json::to_vec(&event).expect("json"),
    )
    .await;
    // Long enough for many more than two tries, had each failure spent one.
    tokio::time::sleep(Duration::from_secs(6)).await;
    db_proxy.resume();
    let arrived = eventually(30, async || {
        notifications(&pool, org.user, "request.approved").await == 1
    })
    .await;
    let dead = channel
        .queue_declare(
            topology.dead_letter_queue().as_str().into(),
            QueueDeclareOptions {
                passive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .expect("dead-letter queue")
        .message_count();
    assert!(
        arrived,
        "the notification arrived once the database was back (dead letters: {dead})"
    );
    assert_eq!(dead, 0, "nothing was dead-lettered");
    let failures: i64 = sqlx::query_scalar("SELECT count(*) FROM message_failures")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(failures, 0, "a failure of the system is not the message's");
    let _ = connection.close(200, "done".into()).await;
}
