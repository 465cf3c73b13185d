//! Server functions of the reference data: everyone reads it (through the
//! cache), admins change it.
use leptos::prelude::*;

use super::model::Catalogue;
use crate::error::AppError;

#[server(prefix = "/api/rpc", endpoint = "catalogue/get")]
pub async fn get_catalogue() -> Result<Catalogue, AppError> {
    crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    super::cached::load(&state).await
}

/// Creates a category (`id` empty) or edits one.
#[server(prefix = "/api/rpc", endpoint = "catalogue/save-category")]
pub async fn save_category(
    id: Option<String>,
    code: String,
    name: String,
    description: Option<String>,
) -> Result<i64, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    let input = super::manage::CategoryInput {
        id,
        code,
        name,
        description: description.unwrap_or_default(),
    };
    super::manage::save_category(&state, &actor, input).await
}

/// Creates a department (`id` empty) or edits one, possibly moving it.
#[server(prefix = "/api/rpc", endpoint = "catalogue/save-department")]
pub async fn save_department(
    id: Option<String>,
    parent_id: Option<String>,
    code: String,
    name: String,
) -> Result<i64, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    let input = super::manage::DepartmentInput {
        id,
        parent_id,
        code,
        name,
    };
    super::manage::save_department(&state, &actor, input).await
}
