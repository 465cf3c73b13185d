//! The user behind a session, re-read at least once a second per node so that
//! disabling, demoting or a new password ends sessions everywhere within a
//! second, without a PostgreSQL query on every request.
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use sqlx::PgPool;

use super::model::{Role, SignedInUser};
use super::repo;
use crate::error::AppError;

/// A user as the server checks them on each request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub department_id: i64,
    pub active: bool,
    pub session_epoch: i64,
    /// The password was set by someone else: nothing but changing it is allowed.
    pub must_change_password: bool,
}

impl Principal {
    pub fn signed_in_user(&self) -> SignedInUser {
        SignedInUser {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            department_id: self.department_id,
            must_change_password: self.must_change_password,
        }
    }
}

const FRESHNESS: Duration = Duration::from_millis(1000);

/// Per-node cache of principals: short TTL, single-flight loads.
#[derive(Clone)]
pub struct PrincipalCache {
    cache: Cache<i64, Option<Arc<Principal>>>,
}

impl Default for PrincipalCache {
    fn default() -> Self {
        Self {
            cache: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(FRESHNESS)
                .build(),
        }
    }
}

impl PrincipalCache {
    pub async fn get(&self, db: &PgPool, id: i64) -> Result<Option<Arc<Principal>>, AppError> {
        self.cache
            .try_get_with(id, async {
                repo::principal(db, id).await.map(|p| p.map(Arc::new))
            })
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, "could not load the signed-in user");
                AppError::Unavailable
            })
    }

    /// Drops this node's copy at once (other nodes follow within a second).
    pub async fn forget(&self, id: i64) {
        self.cache.invalidate(&id).await;
    }
}
