//! RabbitMQ: a supervised connection and the topology every node declares.
mod connection;
pub mod consume;
mod topology;

pub use connection::{Amqp, AmqpError, AmqpSettings};
pub use topology::{DelayTier, REMINDER_DUE, Topology};
