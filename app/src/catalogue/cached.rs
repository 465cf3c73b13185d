//! The reference data through the two-level cache: one hot key, read by every
//! equipment page, rebuilt in the background when logically expired.
use super::model::Catalogue;
use crate::error::AppError;
use crate::state::AppState;

pub const KEY: &str = "all";

pub async fn load(state: &AppState) -> Result<Catalogue, AppError> {
    Ok(state.catalogue_cache.get(KEY).await?.unwrap_or_default())
}

/// The loader behind the cache.
pub async fn from_database(db: &sqlx::PgPool) -> Result<Option<Catalogue>, sqlx::Error> {
    Ok(Some(Catalogue {
        categories: super::repo::categories(db).await?,
        departments: super::repo::department_tree(db).await?,
    }))
}
