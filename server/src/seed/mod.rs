//! `equipflow seed`: demo data, and bulk synthetic equipment and request
//! history for benchmarks.
mod bulk;
mod catalogue;
mod demo;
mod history;

pub use bulk::{BulkReport, seed_equipment};
pub use demo::{DEMO_ACCOUNTS, DemoReport, seed_demo};
pub use history::seed_requests;
