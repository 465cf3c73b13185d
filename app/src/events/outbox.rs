//! Writing events into the outbox, inside the caller's transaction: an event
//! exists exactly when the change it describes committed.
use serde::Serialize;
use uuid::Uuid;

/// An event about one aggregate (a request), routed by `routing_key`.
pub struct OutboxEvent<'a, P: Serialize> {
    pub aggregate_type: &'a str,
    pub aggregate_id: i64,
    pub routing_key: &'a str,
    pub payload: &'a P,
}

/// Appends the event; its id (UUIDv7, so ids sort by time) becomes the AMQP
/// message id that consumers deduplicate on.
pub async fn enqueue<P: Serialize>(
    tx: &mut sqlx::PgConnection,
    event: OutboxEvent<'_, P>,
) -> Result<Uuid, sqlx::Error> {
    insert(tx, event, None).await
}

/// Appends an event the relay publishes to the delay exchange under `tier`;
/// it comes back as `reminder.due` when the tier's TTL expires.
pub async fn enqueue_delayed<P: Serialize>(
    tx: &mut sqlx::PgConnection,
    event: OutboxEvent<'_, P>,
    tier: &str,
) -> Result<Uuid, sqlx::Error> {
    insert(tx, event, Some(tier)).await
}

async fn insert<P: Serialize>(
    tx: &mut sqlx::PgConnection,
    event: OutboxEvent<'_, P>,
    delay_tier: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let payload = serde_json::to_value(event.payload)
        .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query(
        "INSERT INTO outbox (id, aggregate_type, aggregate_id, routing_key, payload, delay_tier)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(event.aggregate_type)
    .bind(event.aggregate_id)
    .bind(event.routing_key)
    .bind(payload)
    .bind(delay_tier)
    .execute(tx)
    .await?;
    Ok(id)
}
