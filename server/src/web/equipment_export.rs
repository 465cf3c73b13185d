//! Equipment files for admins: `GET /api/v1/equipment.csv` and `.xlsx` (the
//! list's current filter) and `GET /api/v1/equipment-template.{csv,xlsx}`, in
//! the reader's language (`?lang=zh|en`). The CSV is streamed in keyset
//! batches so a million rows never sit in memory; a workbook holds at most
//! `XLSX_MAX_ROWS` (beyond that the CSV is the way). The columns are the
//! import's, so an export (with new asset codes) imports back.
use app::auth::Role;
use app::auth::guard::RequestAuth;
use app::catalogue::Catalogue;
use app::clock::OrgClock;
use app::equipment::cursor::Cursor;
use app::equipment::query::ListParams;
use app::equipment::sheet::{Cell, ExportRows, WorkbookOut, XlsxError};
use app::equipment::{ListFilter, repo};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use serde::Deserialize;

use super::api_v1::{bad_request, require};
use super::rpc_errors::error_response;

const BATCH: i64 = 1000;
/// The most rows a workbook export holds; Excel itself stops at 1,048,576 and
/// a larger workbook is built in memory on the server.
pub const XLSX_MAX_ROWS: usize = 100_000;
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize)]
pub struct Lang {
    lang: Option<String>,
}

impl Lang {
    fn locale(&self) -> Locale {
        super::language::locale_param(self.lang.as_deref())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => XLSX_TYPE,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The headers of a download named `name` (ASCII) with `format`'s extension.
fn attachment(name: &str, format: Format) -> [(header::HeaderName, String); 3] {
    download(
        format,
        format!("attachment; filename=\"{name}.{}\"", format.extension()),
    )
}

fn download(format: Format, disposition: String) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, format.content_type().to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ]
}

pub async fn export_csv(
    state: State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    params: Query<ListParams>,
    lang: Query<Lang>,
) -> Response {
    export(state, auth, params, lang, Format::Csv).await
}

pub async fn export_xlsx(
    state: State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    params: Query<ListParams>,
    lang: Query<Lang>,
) -> Response {
    export(state, auth, params, lang, Format::Xlsx).await
}

async fn export(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Query(params): Query<ListParams>,
    Query(lang): Query<Lang>,
    format: Format,
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
    let name = format!(
        "equipment-{}",
        state
            .clock
            .local(chrono::Utc::now())
            .format("%Y%m%d-%H%M%S")
    );
    let locale = lang.locale();
    match format {
        Format::Csv => (
            attachment(&name, format),
            Body::from_stream(rows(state, filter, catalogue, locale)),
        )
            .into_response(),
        Format::Xlsx => match workbook(&state, &filter, &catalogue, locale).await {
            Ok(bytes) => (attachment(&name, format), bytes).into_response(),
            // A download link shows no JSON: say it in words.
            Err(AppError::Validation { .. }) => (
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CACHE_CONTROL, "no-store")],
                match locale {
                    Locale::zh => "超过 100,000 行，Excel 放不下：请缩小筛选范围，或导出 CSV。",
                    Locale::en => "More than 100,000 rows do not fit a workbook: narrow the filter, or export CSV.",
                },
            )
                .into_response(),
            Err(error) => error_response(&error),
        },
    }
}

/// The whole filter as a workbook, or 422 when it holds too many rows.
async fn workbook(
    state: &AppState,
    filter: &ListFilter,
    catalogue: &Catalogue,
    locale: Locale,
) -> Result<Vec<u8>, AppError> {
    let rows = ExportRows {
        catalogue,
        clock: &state.clock,
        locale,
    };
    let cap = i64::try_from(XLSX_MAX_ROWS).unwrap_or(i64::MAX);
    if repo::count_up_to(&state.db, filter, cap).await? > cap {
        return Err(AppError::Validation {
            field: "format".into(),
            message: "export_too_large".into(),
        });
    }
    let mut out = WorkbookOut::new(&rows.headers()).map_err(xlsx_error)?;
    let mut after = None::<Cursor>;
    loop {
        let batch = repo::export_batch(&state.db, filter, after.as_ref(), BATCH).await?;
        for item in &batch {
            out.row(rows.cells(item)).map_err(xlsx_error)?;
        }
        match next_cursor(&batch) {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    tokio::task::spawn_blocking(move || out.finish())
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(xlsx_error)
}

fn xlsx_error(error: XlsxError) -> AppError {
    tracing::error!(%error, "writing a workbook failed");
    AppError::Internal
}

/// `GET /api/v1/equipment-template.{csv,xlsx}`: the import's columns with one
/// example row, in the reader's language.
pub async fn template_csv(
    state: State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    lang: Query<Lang>,
) -> Response {
    template(state, auth, lang, Format::Csv).await
}

pub async fn template_xlsx(
    state: State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    lang: Query<Lang>,
) -> Response {
    template(state, auth, lang, Format::Xlsx).await
}

async fn template(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Query(lang): Query<Lang>,
    format: Format,
) -> Response {
    if let Err(error) = require(auth, Role::Admin) {
        return error_response(&error);
    }
    let catalogue = match app::catalogue::cached::load(&state).await {
        Ok(c) => c,
        Err(error) => return error_response(&error),
    };
    let (headers, example) = app::equipment::sheet::template(&catalogue, lang.locale());
    let name = match lang.locale() {
        Locale::zh => "设备导入模板",
        Locale::en => "equipment-import-template",
    };
    let bytes = match format {
        Format::Xlsx => {
            app::equipment::sheet::workbook(&headers, vec![example]).map_err(xlsx_error)
        }
        Format::Csv => {
            let texts: Vec<String> = example.into_iter().map(Cell::into_text).collect();
            let mut out = app::spreadsheet::CsvOut::new(true);
            out.record(&headers)
                .and_then(|()| out.record(&texts))
                .and_then(|()| out.finish())
                .map_err(|_| AppError::Internal)
        }
    };
    match bytes {
        Ok(bytes) => (attachment_utf8(name, format), bytes).into_response(),
        Err(error) => error_response(&error),
    }
}

/// A Chinese file name needs RFC 5987's `filename*`; `filename` stays ASCII.
fn attachment_utf8(name: &str, format: Format) -> [(header::HeaderName, String); 3] {
    let extension = format.extension();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    download(
        format,
        format!(
            "attachment; filename=\"equipment-import-template.{extension}\"; filename*=UTF-8''{encoded}.{extension}"
        ),
    )
}

/// Where the next batch starts, or `None` when this one was the last (short).
fn next_cursor(batch: &[app::equipment::EquipmentItem]) -> Option<Cursor> {
    let last = batch.last()?;
    (i64::try_from(batch.len()).unwrap_or(0) == BATCH).then_some(Cursor {
        created_at: last.created_at,
        id: last.id,
    })
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
    locale: Locale,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    stream::unfold(Next::Start, move |next| {
        let state = state.clone();
        let filter = filter.clone();
        let catalogue = catalogue.clone();
        async move {
            let (after, mut out) = match next {
                Next::Done => return None,
                // A BOM so that spreadsheet programs read UTF-8 (Chinese names).
                Next::Start => (None, encode(&[], true, &catalogue, &state.clock, locale)),
                Next::After(cursor) => (Some(cursor), Vec::new()),
            };
            let batch = match repo::export_batch(&state.db, &filter, after.as_ref(), BATCH).await {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(%error, "CSV export stopped");
                    return Some((Err(std::io::Error::other("export failed")), Next::Done));
                }
            };
            out.extend(encode(&batch, false, &catalogue, &state.clock, locale));
            let next = next_cursor(&batch).map_or(Next::Done, Next::After);
            Some((Ok(Bytes::from(out)), next))
        }
    })
}

fn encode(
    items: &[app::equipment::EquipmentItem],
    header: bool,
    catalogue: &Catalogue,
    clock: &OrgClock,
    locale: Locale,
) -> Vec<u8> {
    let rows = ExportRows {
        catalogue,
        clock,
        locale,
    };
    // Only the first chunk carries the byte-order mark.
    let mut out = app::spreadsheet::CsvOut::new(header);
    let result = (|| -> Result<(), csv::Error> {
        if header {
            out.record(rows.headers())?;
        }
        for item in items {
            out.record(rows.texts(item))?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        tracing::error!(%error, "CSV encoding failed");
        return Vec::new();
    }
    out.finish().unwrap_or_default()
}
