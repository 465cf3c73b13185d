//! Integration tests against the real PostgreSQL, Redis and RabbitMQ.
//! Each test gets its own database (`#[sqlx::test]`) and its own Redis key
//! prefix and RabbitMQ exchange/queue prefix.
mod helpers;
mod proxy;

mod amqp_recovery;
mod health;
mod migrations;
mod pages;
mod seed;
mod startup_errors;
mod topology;
