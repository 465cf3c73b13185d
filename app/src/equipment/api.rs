//! Server functions of the equipment pages.
// A server function's arguments are its form's fields: the item form has eleven.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use super::model::{EquipmentPage, EquipmentView, ImportReport, ListParams};
use crate::error::AppError;

#[server(prefix = "/api/rpc", endpoint = "equipment/list")]
pub async fn list_equipment(params: ListParams) -> Result<EquipmentPage, AppError> {
    crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    let (filter, position, size) = params.parse()?;
    Ok(state
        .list_counts
        .list(&state.db, &filter, &position, size)
        .await?)
}

#[server(prefix = "/api/rpc", endpoint = "equipment/detail")]
pub async fn equipment_detail(id: i64, before: Option<i64>) -> Result<EquipmentView, AppError> {
    let viewer = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    super::detail::view(&state, &viewer, id, before).await
}

/// Creates an item (`id` empty) or saves an edit made from `version`.
#[server(prefix = "/api/rpc", endpoint = "equipment/save")]
pub async fn save_equipment(
    id: Option<String>,
    version: Option<String>,
    asset_code: String,
    name: String,
    model: Option<String>,
    serial_number: Option<String>,
    category_id: String,
    department_id: String,
    location: Option<String>,
    purchase_date: Option<String>,
    purchase_price: Option<String>,
) -> Result<i64, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    let input = super::manage::EquipmentInput {
        id,
        version,
        category_id,
        department_id,
        fields: super::fields::RawFields {
            asset_code,
            name,
            model: model.unwrap_or_default(),
            serial_number: serial_number.unwrap_or_default(),
            location: location.unwrap_or_default(),
            purchase_date: purchase_date.unwrap_or_default(),
            purchase_price: purchase_price.unwrap_or_default(),
        },
    };
    super::manage::save(&state, &actor, input).await
}

/// Retires an item for good; asked first (`confirmed=yes`).
#[server(prefix = "/api/rpc", endpoint = "equipment/retire")]
pub async fn retire_equipment(
    id: i64,
    version: i32,
    confirmed: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Admin)?;
    crate::confirm::require(confirmed.as_deref())?;
    let state = crate::state::AppState::from_context()?;
    super::manage::retire(&state, &actor, id, version).await?;
    crate::confirm::return_after_form_post(back.as_deref(), &format!("/equipment/{id}"));
    Ok(())
}

/// Imports a file (CSV in any office encoding, or .xlsx) or pasted CSV, sent
/// as a multipart form (`file`, `csv`); nothing is written unless every row
/// is valid.
#[server(prefix = "/api/rpc", endpoint = "equipment/import", input = MultipartFormData)]
pub async fn import_equipment(data: MultipartData) -> Result<ImportReport, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    let upload = super::import::Upload::read(data).await?;
    super::import::import(&state, &actor, &upload).await
}
