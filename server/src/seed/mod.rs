//! `equipflow seed`: demo data, and bulk synthetic equipment for benchmarks.
mod bulk;
mod catalogue;
mod demo;

pub use bulk::{BulkReport, seed_equipment};
pub use demo::{DEMO_ACCOUNTS, DemoReport, seed_demo};
