//! `bench-events`: the load client of bench/events.sh (issue 5's benchmark).
//!
//!   bench-events round-trip  …  bare RabbitMQ publish → consume (the ceiling)
//!   bench-events approvals   …  approval commit → SSE event through the app
//!   bench-events streams     …  hold N concurrent SSE streams on one URL
//!
//! Each prints `RESULT` lines for the script to collect.
mod approvals;
mod round_trip;
mod session;
mod stats;
mod streams;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Load client for bench/events.sh")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    RoundTrip(round_trip::RoundTripArgs),
    Approvals(approvals::ApprovalsArgs),
    Streams(streams::StreamsArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::RoundTrip(args) => round_trip::run(args).await,
        Command::Approvals(args) => approvals::run(args).await,
        Command::Streams(args) => streams::run(args).await,
    }
}
