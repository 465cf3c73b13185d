//! Exchanges, queues and bindings, declared idempotently at every (re)connect.
//!
//! - `{p}.events`: durable topic exchange every event is published to
//!   (`request.submitted`, `request.approved`, …, `reminder.due`).
//! - `{p}.notifications`: quorum queue of the notification consumer, bound to
//!   `request.#` and `reminder.#`; after `delivery_limit` failed deliveries a
//!   message is dead-lettered (at least once) to `{p}.dlx`.
//! - `{p}.dlx` → `{p}.dead-letters`: where poisoned messages wait for an admin.
//! - `{p}.live`: fanout exchange of new inbox rows; every node binds its own
//!   exclusive, server-named queue to it and pushes to its connected browsers.
//! - `{p}.delay` → `{p}.delay.{tier}`: one queue per delay, with a queue TTL
//!   (per-message TTLs only expire at the head of a queue); expired messages are
//!   dead-lettered back into `{p}.events` as `reminder.due`.
use std::time::Duration;

use lapin::{
    Channel, ExchangeKind,
    options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions},
    types::{AMQPValue, FieldTable, ShortString},
};

/// One delay: messages published to `{p}.delay` with routing key `name`
/// come back as `reminder.due` after `ttl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayTier {
    pub name: String,
    pub ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct Topology {
    /// Prefix of every exchange and queue name (tests use a unique one).
    pub prefix: String,
    /// Deliveries before a message is dead-lettered (RabbitMQ 3.10 has no default).
    pub delivery_limit: i32,
    pub delay_tiers: Vec<DelayTier>,
}

/// Routing key under which expired delayed messages come back.
pub const REMINDER_DUE: &str = "reminder.due";

impl Topology {
    pub fn new(prefix: impl Into<String>) -> Self {
        let tier = |name: &str, secs: u64| DelayTier {
            name: name.to_owned(),
            ttl: Duration::from_secs(secs),
        };
        Self {
            prefix: prefix.into(),
            delivery_limit: 5,
            delay_tiers: vec![
                tier("1m", 60),
                tier("15m", 15 * 60),
                tier("1h", 60 * 60),
                tier("1d", 24 * 60 * 60),
            ],
        }
    }

    pub fn events_exchange(&self) -> String {
        format!("{}.events", self.prefix)
    }
    pub fn dead_letter_exchange(&self) -> String {
        format!("{}.dlx", self.prefix)
    }
    pub fn live_exchange(&self) -> String {
        format!("{}.live", self.prefix)
    }
    pub fn delay_exchange(&self) -> String {
        format!("{}.delay", self.prefix)
    }
    pub fn notifications_queue(&self) -> String {
        format!("{}.notifications", self.prefix)
    }
    pub fn dead_letter_queue(&self) -> String {
        format!("{}.dead-letters", self.prefix)
    }
    /// The tier of exactly `delay`, if this topology has one.
    pub fn tier(&self, name: &str) -> Option<&DelayTier> {
        self.delay_tiers.iter().find(|t| t.name == name)
    }

    pub fn delay_queue(&self, tier: &DelayTier) -> String {
        format!("{}.delay.{}", self.prefix, tier.name)
    }

    /// Every queue this topology declares (for tests and clean-up).
    pub fn queues(&self) -> Vec<String> {
        let mut queues = vec![self.notifications_queue(), self.dead_letter_queue()];
        queues.extend(self.delay_tiers.iter().map(|t| self.delay_queue(t)));
        queues
    }

    /// Every exchange this topology declares.
    pub fn exchanges(&self) -> Vec<String> {
        vec![
            self.events_exchange(),
            self.dead_letter_exchange(),
            self.delay_exchange(),
            self.live_exchange(),
        ]
    }

    /// Declares everything; declaring the same topology again changes nothing.
    pub async fn declare(&self, channel: &Channel) -> Result<(), lapin::Error> {
        declare_exchange(channel, &self.events_exchange(), ExchangeKind::Topic).await?;
        declare_exchange(channel, &self.dead_letter_exchange(), ExchangeKind::Topic).await?;
        declare_exchange(channel, &self.delay_exchange(), ExchangeKind::Direct).await?;
        declare_exchange(channel, &self.live_exchange(), ExchangeKind::Fanout).await?;

        let notifications = self.notifications_queue();
        declare_queue(channel, &notifications, self.notifications_arguments()).await?;
        for key in ["request.#", "reminder.#"] {
            bind(channel, &notifications, &self.events_exchange(), key).await?;
        }

        let dead_letters = self.dead_letter_queue();
        declare_queue(channel, &dead_letters, quorum_arguments()).await?;
        bind(channel, &dead_letters, &self.dead_letter_exchange(), "#").await?;

        for tier in &self.delay_tiers {
            let queue = self.delay_queue(tier);
            declare_queue(channel, &queue, self.delay_arguments(tier)).await?;
            bind(channel, &queue, &self.delay_exchange(), &tier.name).await?;
        }
        Ok(())
    }

    fn notifications_arguments(&self) -> FieldTable {
        let mut args = quorum_arguments();
        insert(
            &mut args,
            "x-delivery-limit",
            AMQPValue::LongInt(self.delivery_limit),
        );
        insert_str(
            &mut args,
            "x-dead-letter-exchange",
            &self.dead_letter_exchange(),
        );
        // At-least-once dead-lettering needs reject-publish overflow.
        insert_str(&mut args, "x-dead-letter-strategy", "at-least-once");
        insert_str(&mut args, "x-overflow", "reject-publish");
        args
    }

    fn delay_arguments(&self, tier: &DelayTier) -> FieldTable {
        let mut args = FieldTable::default();
        let ttl_ms = i64::try_from(tier.ttl.as_millis()).unwrap_or(i64::MAX);
        insert(&mut args, "x-message-ttl", AMQPValue::LongLongInt(ttl_ms));
        insert_str(&mut args, "x-dead-letter-exchange", &self.events_exchange());
        insert_str(&mut args, "x-dead-letter-routing-key", REMINDER_DUE);
        args
    }
}

fn quorum_arguments() -> FieldTable {
    let mut args = FieldTable::default();
    insert_str(&mut args, "x-queue-type", "quorum");
    args
}

fn insert(args: &mut FieldTable, key: &str, value: AMQPValue) {
    args.insert(ShortString::from(key), value);
}

fn insert_str(args: &mut FieldTable, key: &str, value: &str) {
    insert(args, key, AMQPValue::LongString(value.into()));
}

async fn declare_exchange(
    channel: &Channel,
    name: &str,
    kind: ExchangeKind,
) -> Result<(), lapin::Error> {
    let options = ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    };
    channel
        .exchange_declare(name.into(), kind, options, FieldTable::default())
        .await
}

async fn declare_queue(
    channel: &Channel,
    name: &str,
    args: FieldTable,
) -> Result<(), lapin::Error> {
    let options = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(name.into(), options, args)
        .await
        .map(drop)
}

async fn bind(
    channel: &Channel,
    queue: &str,
    exchange: &str,
    key: &str,
) -> Result<(), lapin::Error> {
    channel
        .queue_bind(
            queue.into(),
            exchange.into(),
            key.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
}
