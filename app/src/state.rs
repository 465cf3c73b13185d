//! Shared server state: one instance per node, cloned into every request
//! (one reference count, not one per field), and provided as Leptos context
//! to pages and server functions.
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;

use crate::auth::AuthServices;
use crate::cache::{CacheBus, TwoLevelCache};
use crate::catalogue::Catalogue;
use crate::equipment::counts::ListCounts;
use crate::equipment::{EquipmentItem, HistoryPage};
use crate::error::AppError;
use crate::events::live::LiveHub;
use crate::messaging::Amqp;
use crate::metrics::Metrics;
use crate::notifications::InboxSummary;

/// The node's state behind one `Arc`: every request clones it several times
/// (router, Leptos context, server functions), so a clone must be one atomic
/// increment rather than one per pool, cache and service inside.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: PgPool,
    pub redis: fred::clients::Pool,
    pub amqp: Amqp,
    pub metrics: Arc<Metrics>,
    pub auth: AuthServices,
    /// Cross-node L1 invalidation for every two-level cache of this node.
    pub cache_bus: CacheBus,
    /// Equipment by id (detail pages, the JSON API).
    pub equipment_cache: TwoLevelCache<EquipmentItem>,
    /// The newest page of each item's transaction history (detail pages).
    pub history_cache: TwoLevelCache<HistoryPage>,
    /// Categories and the department tree (every equipment page).
    pub catalogue_cache: TwoLevelCache<Catalogue>,
    /// Each user's bell (unread count, newest id), read on every page;
    /// invalidated when their inbox gains rows or they mark some read.
    pub inbox_summaries: TwoLevelCache<InboxSummary>,
    /// Capped equipment list counts per filter, kept a few seconds.
    pub list_counts: ListCounts,
    /// How often the statistics snapshot is recomputed (shown on its pages).
    pub statistics_every: std::time::Duration,
    /// Notification streams open on this node, fed from the `live` exchange.
    pub live: LiveHub,
    /// `scheme://host[:port]` users reach this service at, when configured
    /// (QR labels); otherwise the request's own host.
    pub public_origin: Option<String>,
    /// The organisation's time zone: every time shown and every "today".
    pub clock: crate::clock::OrgClock,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    /// The state inside a server function or while rendering a page.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
