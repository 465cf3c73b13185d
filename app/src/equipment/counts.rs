//! Capped list counts, remembered per filter for a few seconds on each node.
//!
//! Counting to the cap reads up to 10,001 index entries (~2 ms): most of a
//! list request's database time. Pages of one filter ask for the same number
//! again and again, so each node keeps it briefly (single-flight: concurrent
//! requests for one filter share one count) and the page says how old it may
//! be. Writes on this node forget every count; other nodes' counts age out.
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use sqlx::PgPool;

use super::model::{EquipmentPage, ListFilter};
use super::query::Position;
use super::repo;

/// How many filters' counts a node keeps at most.
const MAX_FILTERS: u64 = 10_000;

#[derive(Clone)]
pub struct ListCounts {
    counts: Cache<ListFilter, i64>,
    max_age: Duration,
}

impl ListCounts {
    /// `max_age` zero turns the memory off: every page counts afresh.
    pub fn new(max_age: Duration) -> Self {
        Self {
            counts: Cache::builder()
                .max_capacity(MAX_FILTERS)
                .time_to_live(max_age.max(Duration::from_millis(1)))
                .build(),
            max_age,
        }
    }

    /// The filter's capped count, at most `max_age` old.
    pub async fn capped_count(&self, db: &PgPool, filter: &ListFilter) -> Result<i64, sqlx::Error> {
        if self.max_age.is_zero() {
            return repo::capped_count(db, filter).await;
        }
        self.counts
            .try_get_with_by_ref(filter, repo::capped_count(db, filter))
            .await
            .map_err(|shared: Arc<sqlx::Error>| {
                // Only the loader that failed owns the error; the rest see a copy of its text.
                Arc::try_unwrap(shared)
                    .unwrap_or_else(|shared| sqlx::Error::Protocol(shared.to_string()))
            })
    }

    /// One page of the list with its (remembered) count.
    pub async fn list(
        &self,
        db: &PgPool,
        filter: &ListFilter,
        position: &Position,
        size: u32,
    ) -> Result<EquipmentPage, sqlx::Error> {
        let (rows, counted) = tokio::try_join!(
            repo::page(db, filter, position, size),
            self.capped_count(db, filter)
        )?;
        let mut page = repo::assemble(filter, position, size, rows, counted);
        page.count_max_age_secs = u32::try_from(self.max_age.as_secs()).unwrap_or(u32::MAX);
        Ok(page)
    }

    /// After a write on this node: its counts are no longer right.
    pub fn forget(&self) {
        self.counts.invalidate_all();
    }
}
