//! The detail page's data: the item through the cache, names from the cached
//! reference data, its history, and the QR label.
use qrcode::QrCode;
use qrcode::render::svg;

use super::model::EquipmentView;
use crate::error::AppError;
use crate::state::AppState;

/// The address a label points at: the configured public origin, else the
/// host this request came to.
pub fn item_url(public_origin: Option<&str>, headers: &http::HeaderMap, id: i64) -> String {
    let origin = public_origin.map(str::to_owned).unwrap_or_else(|| {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{origin}/equipment/{id}")
}

pub fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = QrCode::new(url.as_bytes()).map_err(|error| {
        tracing::error!(%error, "QR code failed");
        AppError::Internal
    })?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build())
}

pub async fn view(
    state: &AppState,
    viewer_id: i64,
    id: i64,
    before: Option<i64>,
) -> Result<EquipmentView, AppError> {
    let item = state
        .equipment_cache
        .get(&id.to_string())
        .await?
        .ok_or(AppError::NotFound)?;
    let catalogue = crate::catalogue::cached::load(state).await?;
    // The newest page is cached with the item (every request change on the item
    // invalidates it); older pages are rare and read directly.
    let history = match before {
        None => state
            .history_cache
            .get(&id.to_string())
            .await?
            .unwrap_or_default(),
        Some(_) => super::repo::history_page(&state.db, id, before).await?,
    };
    let headers = leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let url = item_url(state.public_origin.as_deref(), &headers, id);
    let offered = crate::requests::rules::offered(
        crate::requests::rules::ItemState {
            status: item.status,
            holder_id: item.holder_id,
        },
        viewer_id,
    );
    Ok(EquipmentView {
        offered,
        category_name: catalogue.category_name(item.category_id),
        department_name: catalogue.department_name(item.department_id),
        label_src: format!("/equipment/{id}/label.svg"),
        url,
        history_next: history.next,
        history: history.entries,
        item,
    })
}
