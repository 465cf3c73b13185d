//! `equipflow`: thin entry point; everything lives in the library.
use std::process::ExitCode;

use clap::Parser;
use equipflow_server::cli::{Cli, Command};
use equipflow_server::commands;
use equipflow_server::config::Settings;
use equipflow_server::telemetry;

/// Page rendering allocates many small strings; mimalloc serves them faster
/// than the system allocator under concurrency.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => return fail(&error),
    };
    telemetry::init(settings.log_format);
    match commands::run(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// One clear line, no backtrace.
fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("equipflow: {error}");
    ExitCode::FAILURE
}
