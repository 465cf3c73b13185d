//! `GET /api/v1/equipment.csv?…`: the list's current filter as CSV (admins),
//! streamed in keyset batches so a million rows never sit in memory. The
//! columns are the import's, so an export (with new asset codes) imports back.
use app::auth::Role;
use app::auth::guard::RequestAuth;
use app::catalogue::Catalogue;
use app::equipment::cursor::Cursor;
use app::equipment::import::COLUMNS;
use app::equipment::query::ListParams;
use app::equipment::{EquipmentItem, ListFilter, format_price, repo};
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};

use super::api_v1::{bad_request, require};
use super::rpc_errors::error_response;

const BATCH: i64 = 1000;
/// Read back by an import, which ignores these.
const EXPORT_ONLY: [&str; 3] = ["status", "holder", "created_at"];

pub async fn export_equipment(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Query(params): Query<ListParams>,
) -> Response {
    if let Err(error) = require(auth, Role::Admin) {
        return error_response(&error);
    }
    let (filter, _, _) = match params.parse() {
        Ok(parsed) => parsed,
        Err(error) => return bad_request(&error),
    };
    let catalogue = match app::catalogue::cached::load(&state).await {
        Ok(c) => c,
        Err(error) => return error_response(&error),
    };
    let filename = format!(
        "equipment-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(rows(state, filter, catalogue)),
    )
        .into_response()
}

enum Next {
    Start,
    After(Cursor),
    Done,
}

fn rows(
    state: AppState,
    filter: ListFilter,
    catalogue: Catalogue,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    stream::unfold(Next::Start, move |next| {
        let state = state.clone();
        let filter = filter.clone();
        let catalogue = catalogue.clone();
        async move {
            let (after, mut out) = match next {
                Next::Done => return None,
                // A BOM so that spreadsheet programs read UTF-8 (Chinese names).
                Next::Start => (None, encode(&[], true, &catalogue)),
                Next::After(cursor) => (Some(cursor), Vec::new()),
            };
            let batch = match repo::export_batch(&state.db, &filter, after.as_ref(), BATCH).await {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(%error, "CSV export stopped");
                    return Some((Err(std::io::Error::other("export failed")), Next::Done));
                }
            };
            out.extend(encode(&batch, false, &catalogue));
            let next = match batch.last() {
                Some(last) if i64::try_from(batch.len()).unwrap_or(0) == BATCH => {
                    Next::After(Cursor {
                        created_at: last.created_at,
                        id: last.id,
                    })
                }
                _ => Next::Done,
            };
            Some((Ok(Bytes::from(out)), next))
        }
    })
}

fn encode(items: &[EquipmentItem], header: bool, catalogue: &Catalogue) -> Vec<u8> {
    // Only the first chunk carries the byte-order mark.
    let mut out = app::spreadsheet::CsvOut::new(header);
    let result = (|| -> Result<(), csv::Error> {
        if header {
            out.record(COLUMNS.iter().chain(EXPORT_ONLY.iter()))?;
        }
        for item in items {
            let category = catalogue.category(item.category_id).map(|c| c.code.clone());
            let department = catalogue
                .department(item.department_id)
                .map(|d| d.code.clone());
            out.record([
                item.asset_code.clone(),
                item.name.clone(),
                item.model.clone(),
                item.serial_number.clone().unwrap_or_default(),
                category.unwrap_or_default(),
                department.unwrap_or_default(),
                item.location.clone(),
                item.purchase_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                item.purchase_price_cents
                    .map(format_price)
                    .unwrap_or_default(),
                item.status.as_str().to_owned(),
                item.holder_name.clone().unwrap_or_default(),
                item.created_at.to_rfc3339(),
            ])?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        tracing::error!(%error, "CSV encoding failed");
        return Vec::new();
    }
    out.finish().unwrap_or_default()
}
