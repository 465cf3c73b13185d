//! Reading and re-queueing the dead-letter queue without losing anything:
//! messages are fetched unacknowledged and go back when the channel closes;
//! only the one being re-queued is acknowledged, after its re-publish was
//! confirmed.
use lapin::options::{
    BasicAckOptions, BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions,
    QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Confirmation};
use sqlx::PgPool;

use super::model::{DEAD_LETTERS_SHOWN, DeadLetter, DeadLetters};
use crate::error::AppError;
use crate::events::inbox_writer::CONSUMER;
use crate::messaging::Amqp;

const BODY_SHOWN: usize = 300;

fn broker_error(error: impl std::fmt::Display) -> AppError {
    tracing::warn!(%error, "dead-letter queue unavailable");
    AppError::Unavailable
}

fn text(value: Option<&AMQPValue>) -> Option<String> {
    match value? {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The first `x-death` entry: where the message died, why, and its first key.
fn first_death(properties: &BasicProperties) -> Option<(String, String, i64, Option<String>)> {
    let headers = properties.headers().as_ref()?;
    let AMQPValue::FieldArray(deaths) = headers.inner().get("x-death")? else {
        return None;
    };
    let AMQPValue::FieldTable(death) = deaths.as_slice().first()? else {
        return None;
    };
    let fields = death.inner();
    let count = match fields.get("count") {
        Some(AMQPValue::LongLongInt(n)) => *n,
        Some(AMQPValue::LongInt(n)) => i64::from(*n),
        _ => 1,
    };
    let key = match fields.get("routing-keys") {
        Some(AMQPValue::FieldArray(keys)) => text(keys.as_slice().first()),
        _ => None,
    };
    Some((
        text(fields.get("reason")).unwrap_or_default(),
        text(fields.get("queue")).unwrap_or_default(),
        count,
        key,
    ))
}

async fn open(amqp: &Amqp) -> Result<(Channel, u32), AppError> {
    let channel = amqp.channel().await.map_err(broker_error)?;
    let queue = channel
        .queue_declare(
            amqp.topology().dead_letter_queue().into(),
            QueueDeclareOptions {
                passive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(broker_error)?;
    Ok((channel, queue.message_count()))
}

pub async fn peek(amqp: &Amqp, db: &PgPool) -> Result<DeadLetters, AppError> {
    let (channel, count) = open(amqp).await?;
    let mut messages = Vec::new();
    let queue = amqp.topology().dead_letter_queue();
    while messages.len() < DEAD_LETTERS_SHOWN.min(count as usize) {
        let Some(message) = channel
            .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: false })
            .await
            .map_err(broker_error)?
        else {
            break;
        };
        let delivery = message.delivery;
        let (reason, from, deaths, key) = first_death(&delivery.properties).unwrap_or_default();
        let message_id = delivery
            .properties
            .message_id()
            .as_ref()
            .map(|id| id.to_string());
        let mut body = String::from_utf8_lossy(&delivery.data).into_owned();
        if body.chars().count() > BODY_SHOWN {
            body = body.chars().take(BODY_SHOWN).collect::<String>() + "…";
        }
        messages.push(DeadLetter {
            message_id,
            routing_key: key.unwrap_or_else(|| delivery.routing_key.to_string()),
            body,
            reason,
            queue: from,
            deaths,
            error: None,
        });
    }
    // Closing the channel hands every unacknowledged message back, in order.
    let _ = channel.close(200, "peeked".into()).await;
    let ids: Vec<uuid::Uuid> = messages
        .iter()
        .filter_map(|m| {
            m.message_id
                .as_deref()
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
        })
        .collect();
    let errors: Vec<(uuid::Uuid, String)> = sqlx::query_as(
        "SELECT message_id, error FROM message_failures WHERE consumer = $1 AND message_id = ANY($2)",
    )
    .bind(CONSUMER)
    .bind(&ids)
    .fetch_all(db)
    .await?;
    for message in &mut messages {
        message.error = errors
            .iter()
            .find(|(id, _)| Some(id.to_string()) == message.message_id)
            .map(|(_, e)| e.clone());
    }
    Ok(DeadLetters { count, messages })
}

/// Publishes the message with `message_id` back to the events exchange under
/// its first routing key, then removes it from the dead letters.
pub async fn requeue(amqp: &Amqp, db: &PgPool, message_id: &str) -> Result<(), AppError> {
    let (channel, count) = open(amqp).await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(broker_error)?;
    let queue = amqp.topology().dead_letter_queue();
    let mut found = false;
    for _ in 0..count {
        let Some(message) = channel
            .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: false })
            .await
            .map_err(broker_error)?
        else {
            break;
        };
        let delivery = message.delivery;
        if delivery
            .properties
            .message_id()
            .as_ref()
            .map(|id| id.as_str())
            != Some(message_id)
        {
            continue;
        }
        let key = first_death(&delivery.properties)
            .and_then(|(_, _, _, key)| key)
            .unwrap_or_else(|| delivery.routing_key.to_string());
        // A fresh start: the same id and body, without the death history.
        let properties = BasicProperties::default()
            .with_message_id(message_id.into())
            .with_content_type("application/json".into())
            .with_delivery_mode(2);
        let confirm = channel
            .basic_publish(
                amq_events(amqp).into(),
                key.into(),
                BasicPublishOptions {
                    mandatory: true,
                    ..BasicPublishOptions::default()
                },
                &delivery.data,
                properties,
            )
            .await
            .map_err(broker_error)?
            .await
            .map_err(broker_error)?;
        if !matches!(confirm, Confirmation::Ack(None)) {
            let _ = channel.close(200, "requeue refused".into()).await;
            return Err(AppError::Conflict("requeue_refused".into()));
        }
        delivery
            .acker
            .ack(BasicAckOptions::default())
            .await
            .map_err(broker_error)?;
        found = true;
        break;
    }
    let _ = channel.close(200, "requeued".into()).await;
    if !found {
        return Err(AppError::NotFound);
    }
    if let Ok(id) = uuid::Uuid::parse_str(message_id) {
        sqlx::query("DELETE FROM message_failures WHERE consumer = $1 AND message_id = $2")
            .bind(CONSUMER)
            .bind(id)
            .execute(db)
            .await?;
    }
    tracing::info!(%message_id, "dead letter re-queued by an admin");
    Ok(())
}

fn amq_events(amqp: &Amqp) -> String {
    amqp.topology().events_exchange()
}
