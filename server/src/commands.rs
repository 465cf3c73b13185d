//! What each sub-command does.
use secrecy::ExposeSecret;

use crate::cli::{Command, SeedArgs};
use crate::config::Settings;
use crate::infra::{StartupError, postgres};
use crate::seed::{DEMO_ACCOUNTS, seed_demo, seed_equipment, seed_requests};
use crate::startup::Application;

/// A command's failure: one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("{0}")]
    Failed(String),
}

pub async fn run(command: Command, settings: Settings) -> Result<(), CommandError> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = postgres::connect(&settings.database, settings.connect_timeout).await?;
            postgres::migrate(&db).await?;
            println!("migrations applied to {}", settings.database.url.display());
            Ok(())
        }
        Command::Seed(args) => seed(args, settings).await,
        Command::RefreshStatistics => refresh_statistics(settings).await,
    }
}

async fn refresh_statistics(settings: Settings) -> Result<(), CommandError> {
    use app::statistics::snapshot::{Refresh, refresh};
    let db = postgres::connect(&settings.database, settings.connect_timeout).await?;
    postgres::migrate(&db).await?;
    let failed = |e: sqlx::Error| CommandError::Failed(format!("statistics refresh failed: {e}"));
    let zone = app::clock::OrgClock::for_zone(settings.time_zone);
    loop {
        let clock = app::statistics::compute::Clock {
            now: chrono::Utc::now(),
            zone: &zone,
        };
        match refresh(&db, std::time::Duration::ZERO, clock)
            .await
            .map_err(failed)?
        {
            Refresh::Done { scopes, took } => {
                println!(
                    "statistics refreshed: {scopes} scopes in {} ms",
                    took.as_millis()
                );
                return Ok(());
            }
            // Another node is at it: wait for it to finish, then go again.
            Refresh::Busy | Refresh::Fresh => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
}

async fn serve(settings: Settings) -> Result<(), CommandError> {
    let app = Application::build(&settings).await?;
    println!("EquipFlow listening on http://{}", settings.addr);
    app.run_until(shutdown_signal())
        .await
        .map_err(|e| CommandError::Failed(format!("server error: {e}")))
}

async fn seed(args: SeedArgs, settings: Settings) -> Result<(), CommandError> {
    let db = postgres::connect(&settings.database, settings.connect_timeout).await?;
    postgres::migrate(&db).await?;
    if args.demo {
        let report = seed_demo(&db, &settings.demo_password)
            .await
            .map_err(|e| CommandError::Failed(e.to_string()))?;
        println!(
            "demo data ready: {} departments, {} categories, {} equipment items in total",
            report.departments, report.categories, report.equipment_total
        );
        println!(
            "demo accounts (password: {}):",
            settings.demo_password.expose_secret()
        );
        for (username, display_name, phone, role, _) in DEMO_ACCOUNTS {
            println!("  {username:<12} {role:<7} phone {phone}  {display_name}");
        }
    }
    if let Some(count) = args.equipment {
        let report = seed_equipment(&db, count, |done| eprintln!("  {done} / {count} rows"))
            .await
            .map_err(|e| CommandError::Failed(format!("bulk seed failed: {e}")))?;
        println!(
            "inserted {} equipment rows in {:.1} s",
            report.inserted,
            report.elapsed.as_secs_f64()
        );
    }
    if let Some(count) = args.requests {
        let report = seed_requests(&db, count, |done| eprintln!("  {done} requests"))
            .await
            .map_err(|e| CommandError::Failed(format!("request history seed failed: {e}")))?;
        println!(
            "inserted {} requests in {:.1} s",
            report.inserted,
            report.elapsed.as_secs_f64()
        );
    }
    Ok(())
}

/// Ctrl-C or SIGTERM (what orchestrators send) starts a graceful shutdown.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
