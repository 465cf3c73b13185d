use std::sync::Arc;
use std::time::Duration;

use app::messaging::{Amqp, DelayTier, Topology};
use app::metrics::Metrics;
use equipflow_server::startup::amqp_settings;
use lapin::BasicProperties;
use lapin::options::{
    BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;

use crate::helpers::{delete_topology_blocking, eventually, test_settings, unique_prefix};

fn test_topology() -> Topology {
    let mut topology = Topology::new(unique_prefix());
    topology.delay_tiers = vec![DelayTier {
        name: "200ms".to_owned(),
        ttl: Duration::from_millis(200),
    }];
    topology
}

async fn queue_length(amqp: &Amqp, queue: &str) -> u32 {
    let channel = amqp.channel().await.expect("channel");
    let passive = QueueDeclareOptions {
        passive: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(queue.into(), passive, FieldTable::default())
        .await
        .expect("queue exists")
        .message_count()
}

async fn publish(amqp: &Amqp, exchange: &str, routing_key: &str) {
    let channel = amqp.channel().await.expect("channel");
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .expect("confirms");
    channel
        .basic_publish(
            exchange.into(),
            routing_key.into(),
            BasicPublishOptions::default(),
            b"{}",
            BasicProperties::default().with_delivery_mode(2),
        )
        .await
        .expect("publish")
        .await
        .expect("confirm");
}

#[tokio::test]
async fn declaring_the_topology_twice_is_idempotent_and_routes_as_designed() {
    let topology = test_topology();
    let settings = test_settings(&[]);
    let amqp = Amqp::connect(
        amqp_settings(&settings),
        topology.clone(),
        Arc::new(Metrics::new()),
    )
    .await
    .expect("first declaration");

    // Declaring again, on another connection, succeeds and changes nothing.
    let again = Amqp::connect(
        amqp_settings(&settings),
        topology.clone(),
        Arc::new(Metrics::new()),
    )
    .await
    .expect("second declaration");
    again.close().await;

    for queue in topology.queues() {
        assert_eq!(
            queue_length(&amqp, &queue).await,
            0,
            "{queue} exists and is empty"
        );
    }

    // request.* events reach the notification queue.
    publish(&amqp, &topology.events_exchange(), "request.approved").await;
    assert_eq!(
        queue_length(&amqp, &topology.notifications_queue()).await,
        1
    );

    // A delayed message comes back into the events exchange as reminder.due.
    publish(&amqp, &topology.delay_exchange(), "200ms").await;
    let notifications = topology.notifications_queue();
    assert!(
        eventually(5, async || queue_length(&amqp, &notifications).await == 2).await,
        "the delayed message was dead-lettered back after its TTL"
    );
    let channel = amqp.channel().await.expect("channel");
    let mut keys = Vec::new();
    while let Some(message) = channel
        .basic_get(
            notifications.as_str().into(),
            BasicGetOptions { no_ack: true },
        )
        .await
        .expect("get")
    {
        keys.push(message.delivery.routing_key.to_string());
    }
    keys.sort();
    assert_eq!(keys, ["reminder.due", "request.approved"]);

    amqp.close().await;
    delete_topology_blocking(topology);
}
