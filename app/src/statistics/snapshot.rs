//! Statistics are pre-aggregated: one node at a time recomputes every scope's
//! figures and replaces the stored snapshot; pages read one row of it.
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::compute::{self, Clock};
use super::model::ScopeFigures;
use crate::clock::OrgClock;

#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// This node recomputed the snapshot.
    Done { scopes: usize, took: Duration },
    /// The snapshot is younger than the interval.
    Fresh,
    /// Another node is recomputing it right now.
    Busy,
}

/// Recomputes the snapshot unless it is younger than `every` (or another node
/// holds the refresh lock). The figures are read in one repeatable-read
/// snapshot, so they agree with each other.
pub async fn refresh(
    db: &PgPool,
    every: Duration,
    clock: Clock<'_>,
) -> Result<Refresh, sqlx::Error> {
    let now = clock.now;
    let started = Instant::now();
    let mut tx = db.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    let last: Option<Option<DateTime<Utc>>> = sqlx::query_scalar(
        "SELECT refreshed_at FROM statistics_runs WHERE id = 1 FOR UPDATE SKIP LOCKED",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(last) = last else {
        return Ok(Refresh::Busy);
    };
    // A zero interval always recomputes, even when another node's clock (or a
    // caller's `now` taken a moment earlier) put the last run after `now`.
    let fresh_for = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX);
    if !every.is_zero() && last.is_some_and(|at| now - at < fresh_for) {
        return Ok(Refresh::Fresh);
    }
    let figures = compute::all_scopes(&mut tx, clock).await?;
    let mut scopes = Vec::with_capacity(figures.len());
    let mut documents = Vec::with_capacity(figures.len());
    for (scope, f) in &figures {
        scopes.push(*scope);
        documents.push(serde_json::to_value(f).map_err(|e| sqlx::Error::Encode(Box::new(e)))?);
    }
    sqlx::query("DELETE FROM statistics_snapshots")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO statistics_snapshots (scope, computed_at, figures)
         SELECT scope, $3, figures FROM unnest($1::bigint[], $2::jsonb[]) AS s(scope, figures)",
    )
    .bind(&scopes)
    .bind(&documents)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let took = started.elapsed();
    sqlx::query("UPDATE statistics_runs SET refreshed_at = $1, took_ms = $2 WHERE id = 1")
        .bind(now)
        .bind(i32::try_from(took.as_millis()).unwrap_or(i32::MAX))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Refresh::Done {
        scopes: scopes.len(),
        took,
    })
}

/// A scope's stored figures and when they were computed.
pub async fn read(
    db: &PgPool,
    scope: i64,
) -> Result<Option<(DateTime<Utc>, ScopeFigures)>, sqlx::Error> {
    let row: Option<(DateTime<Utc>, sqlx::types::Json<ScopeFigures>)> =
        sqlx::query_as("SELECT computed_at, figures FROM statistics_snapshots WHERE scope = $1")
            .bind(scope)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(at, figures)| (at, figures.0)))
}

/// Every node runs this; the refresh lock lets one of them work per interval.
/// It checks a few times per interval so a node that dies mid-way is replaced
/// quickly, and retries sooner after an error.
pub async fn run(db: PgPool, every: Duration, zone: OrgClock, stop: CancellationToken) {
    let check = (every / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
    loop {
        let clock = Clock {
            now: Utc::now(),
            zone: &zone,
        };
        match refresh(&db, every, clock).await {
            Ok(Refresh::Done { scopes, took }) => {
                tracing::info!(
                    scopes,
                    took_ms = took.as_millis() as u64,
                    "statistics refreshed"
                );
            }
            Ok(Refresh::Fresh | Refresh::Busy) => {}
            Err(error) => tracing::warn!(%error, "statistics refresh failed; will retry"),
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(check) => {}
        }
    }
}
