//! `equipflow serve | migrate | seed | refresh-statistics`.
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "equipflow", version, about = "EquipFlow (设备通) server")]
pub struct Cli {
    /// Defaults to `serve`, which is how cargo-leptos starts the binary.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Insert demo data, or bulk synthetic equipment and request history.
    Seed(SeedArgs),
    /// Recompute the statistics now, whatever their age (waits for a node that
    /// is recomputing them), and say how long it took.
    RefreshStatistics,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
pub struct SeedArgs {
    /// Departments, categories, ~200 items and the demo accounts (idempotent).
    #[arg(long)]
    pub demo: bool,
    /// Bulk-insert this many synthetic equipment rows.
    #[arg(long, value_name = "N")]
    pub equipment: Option<u64>,
    /// Bulk-insert about this many synthetic requests (loans and returns over
    /// 180 days, filed by 200 synthetic people) on the existing items.
    #[arg(long, value_name = "N")]
    pub requests: Option<u64>,
}
