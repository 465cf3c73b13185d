//! Integration tests against the real PostgreSQL, Redis and RabbitMQ.
//! Each test gets its own database (`#[sqlx::test]`) and its own Redis key
//! prefix and RabbitMQ exchange/queue prefix.
mod browser;
mod flows;
mod helpers;
mod proxy;
mod sms_gateway;
mod users;

mod amqp_recovery;
mod audit;
mod auth_guards;
mod auth_logs;
mod auth_password;
mod auth_sessions;
mod auth_sms;
mod bad_dates;
mod bell;
mod cache;
mod catalogue_admin;
mod compression;
mod confirmations;
mod csv_cells;
mod equipment_admin;
mod equipment_list;
mod equipment_pages;
mod events;
mod health;
mod hygiene;
mod import_files;
mod item_authority;
mod ledger;
mod migrations;
mod notification_stream;
mod pages;
mod people;
mod requests;
mod seed;
mod slow_clients;
mod startup_errors;
mod statistics;
mod topology;
