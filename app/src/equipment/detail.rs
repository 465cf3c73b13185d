//! The detail page's data: the item through the cache, names from the cached
//! reference data, its history, and the QR label.
use qrcode::QrCode;
use qrcode::render::svg;

use super::model::EquipmentView;
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::requests::rules;
use crate::state::AppState;

/// The address a label points at: the configured public origin, else the
/// host this request came to when it is a well-formed `host[:port]` (a
/// forged Host header cannot smuggle a path, user info or markup into a
/// label; and as every page is `no-store`, no shared cache keeps what one
/// client's Host made). Deployments set `EQUIPFLOW_PUBLIC_ORIGIN`.
pub fn item_url(public_origin: Option<&str>, headers: &http::HeaderMap, id: i64) -> String {
    let origin = public_origin.map(str::to_owned).unwrap_or_else(|| {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|host| is_plain_host(host))
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{origin}/equipment/{id}")
}

/// `name[:port]` or `[v6]:port`, letters, digits, dots and dashes only.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
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
    viewer: &Principal,
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
    // What the page offers; the server checks the same rules again, against
    // the item locked, when a request is filed.
    let offered = rules::offered(rules::Situation {
        item: rules::ItemState {
            status: item.status,
            holder_id: item.holder_id,
        },
        others_pending: history.entries.iter().any(|e| e.status == "pending"),
        filer: viewer.id,
        filer_in_item_department: catalogue
            .subtree(item.department_id)
            .contains(&viewer.department_id),
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(host: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::HOST,
            http::HeaderValue::from_str(host).expect("header"),
        );
        headers
    }

    #[test]
    fn a_label_names_the_public_origin_or_a_well_formed_host() {
        assert_eq!(
            item_url(Some("https://equip.example"), &with_host("evil.example"), 7),
            "https://equip.example/equipment/7"
        );
        assert_eq!(
            item_url(None, &with_host("10.0.0.5:3000"), 7),
            "http://10.0.0.5:3000/equipment/7"
        );
        for forged in [
            "evil.example/phish?",
            "user@evil.example",
            "a\"onload=x",
            "x y",
        ] {
            assert_eq!(
                item_url(None, &with_host(forged), 7),
                "http://localhost/equipment/7",
                "{forged}"
            );
        }
    }
}
