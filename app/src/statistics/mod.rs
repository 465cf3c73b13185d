//! Statistics (信息统计): a user's own figures, read live, and the
//! organisation's, pre-aggregated per department subtree by a background
//! refresh; charts are SVG drawn on the server, each beside its data table
//! and downloadable as CSV.
mod api;
pub mod model;
mod page;
pub mod tables;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod compute;
#[cfg(feature = "ssr")]
pub mod export;
pub mod legend;
#[cfg(feature = "ssr")]
pub mod mine;
#[cfg(feature = "ssr")]
pub mod scopes;
#[cfg(feature = "ssr")]
pub mod snapshot;

pub use api::{my_statistics, scope_statistics};
pub use page::{MyStatisticsPage, ScopeStatisticsPage};

/// A scope's stored figures with their age, `None` before the first refresh.
#[cfg(feature = "ssr")]
pub async fn stored(
    state: &crate::state::AppState,
    scope: i64,
) -> Result<Option<model::ScopeStatistics>, crate::error::AppError> {
    let catalogue = crate::catalogue::cached::load(state).await?;
    Ok(snapshot::read(&state.db, scope)
        .await?
        .map(|(computed_at, figures)| model::ScopeStatistics {
            scope,
            scope_name: catalogue.department(scope).map(|d| d.name.clone()),
            computed_at,
            refresh_minutes: i64::try_from(state.statistics_every.as_secs().div_ceil(60))
                .unwrap_or(i64::MAX),
            figures,
        }))
}
