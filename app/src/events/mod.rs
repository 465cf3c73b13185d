//! Events: written to the outbox with the change they describe, relayed to
//! RabbitMQ, consumed into users' inboxes and pushed to their browsers.
pub mod inbox_writer;
pub mod live;
pub mod model;
pub mod outbox;
pub mod recipients;
pub mod relay;
pub mod reminders;
