//! RabbitMQ: a supervised connection and the topology every node declares.
mod connection;
mod topology;

pub use connection::{Amqp, AmqpError, AmqpSettings};
pub use topology::{DelayTier, Topology};
