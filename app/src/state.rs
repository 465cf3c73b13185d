//! Shared server state: one instance per node, cloned cheaply into every
//! request, and provided as Leptos context to pages and server functions.
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;

use crate::auth::AuthServices;
use crate::cache::{CacheBus, TwoLevelCache};
use crate::catalogue::Catalogue;
use crate::equipment::EquipmentItem;
use crate::error::AppError;
use crate::messaging::Amqp;
use crate::metrics::Metrics;

#[derive(Clone, FromRef)]
pub struct AppState {
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
    /// Categories and the department tree (every equipment page).
    pub catalogue_cache: TwoLevelCache<Catalogue>,
    /// `scheme://host[:port]` users reach this service at, when configured
    /// (QR labels); otherwise the request's own host.
    pub public_origin: Option<String>,
}

impl AppState {
    /// The state inside a server function or while rendering a page.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}
