//! The ceiling of the event path: a bare RabbitMQ round trip. One connection
//! publishes persistent messages with publisher confirms to a durable quorum
//! queue (what the relay and the notification queue use); another consumes
//! them with manual acks. Latency: just before the publish → the delivery.
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueDeclareOptions, QueueDeleteOptions, QueuePurgeOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Confirmation, Connection, ConnectionProperties};

use crate::stats::print_result;

#[derive(Debug, clap::Args)]
pub struct RoundTripArgs {
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = "amqp://guest:guest@127.0.0.1:5672/%2f"
    )]
    amqp: String,
    /// Queue to declare (and delete afterwards).
    #[arg(long, default_value = "bench.round-trip")]
    queue: String,
    /// Messages per second.
    #[arg(long, default_value_t = 50.0)]
    rate: f64,
    #[arg(long, default_value_t = 1500)]
    count: usize,
}

pub async fn run(args: RoundTripArgs) -> anyhow::Result<()> {
    let publisher = Connection::connect(&args.amqp, ConnectionProperties::default())
        .await
        .context("connecting the publisher")?;
    let subscriber = Connection::connect(&args.amqp, ConnectionProperties::default())
        .await
        .context("connecting the consumer")?;
    let channel = publisher.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    let mut queue_args = FieldTable::default();
    queue_args.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(args.queue.as_str().into(), durable, queue_args)
        .await?;
    channel
        .queue_purge(args.queue.as_str().into(), QueuePurgeOptions::default())
        .await?;

    let consuming = subscriber.create_channel().await?;
    consuming.basic_qos(32, BasicQosOptions::default()).await?;
    let mut consumer = consuming
        .basic_consume(
            args.queue.as_str().into(),
            "bench-round-trip".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let (arrived_tx, mut arrived) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    tokio::spawn(async move {
        while let Some(Ok(delivery)) = consumer.next().await {
            let now = Instant::now();
            let index = std::str::from_utf8(&delivery.data)
                .ok()
                .and_then(|s| s.parse::<usize>().ok());
            let _ = delivery.ack(BasicAckOptions::default()).await;
            if let Some(index) = index
                && arrived_tx.send((index, now)).is_err()
            {
                break;
            }
        }
    });

    let mut sent = vec![None; args.count];
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate));
    let mut confirms = Vec::with_capacity(args.count);
    for (index, slot) in sent.iter_mut().enumerate() {
        ticks.tick().await;
        *slot = Some(Instant::now());
        let confirm = channel
            .basic_publish(
                "".into(),
                args.queue.as_str().into(),
                BasicPublishOptions {
                    mandatory: true,
                    ..BasicPublishOptions::default()
                },
                index.to_string().as_bytes(),
                BasicProperties::default().with_delivery_mode(2),
            )
            .await?;
        confirms.push(tokio::spawn(confirm));
    }
    let mut refused = 0;
    for confirm in confirms {
        if !matches!(confirm.await?, Ok(Confirmation::Ack(None))) {
            refused += 1;
        }
    }

    let mut latencies = Vec::with_capacity(args.count);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while latencies.len() < args.count - refused {
        match tokio::time::timeout_at(deadline, arrived.recv()).await {
            Ok(Some((index, at))) => {
                if let Some(Some(start)) = sent.get(index) {
                    latencies.push(at.duration_since(*start));
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
    print_result("amqp-round-trip", &latencies, args.count - latencies.len());
    channel
        .queue_delete(args.queue.as_str().into(), QueueDeleteOptions::default())
        .await?;
    let _ = publisher.close(200, "done".into()).await;
    let _ = subscriber.close(200, "done".into()).await;
    Ok(())
}
