//! HTTP surface of a node: Leptos pages and server functions plus the
//! operational endpoints, wrapped in request-id, tracing and metrics layers.
mod health;
mod language;
mod metrics;
mod router;

pub use router::build_router;
