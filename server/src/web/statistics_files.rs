//! The statistics pages' files: each figure's chart (`….svg`) and table
//! (`….csv`), from the same figures the page shows.
//!
//! `GET /statistics/{figure}.{svg|csv}?lang=` (the caller's own figures) and
//! `GET /leader/statistics/{figure}.{svg|csv}?department=&lang=` (a scope the
//! caller may view, as the page decides it).
use app::auth::Role;
use app::auth::guard::{self, RequestAuth};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use app::statistics::tables::{MyFigure, ScopeFigure, Table};
use app::statistics::{access, export, mine};
use axum::extract::{Extension, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api_v1::bad_request;
use super::rpc_errors::error_response;

#[derive(Debug, Deserialize)]
pub struct FileParams {
    department: Option<String>,
    lang: Option<String>,
    /// `narrow=1`: the chart drawn for a phone's width.
    narrow: Option<String>,
}

impl FileParams {
    fn narrow(&self) -> bool {
        self.narrow.as_deref() == Some("1")
    }
}

enum Format {
    Svg,
    Csv,
}

/// `status.svg` → ("status", Svg); anything else is not a file we serve.
fn split(file: &str) -> Result<(&str, Format), AppError> {
    let (slug, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let format = match ext {
        "svg" => Format::Svg,
        "csv" => Format::Csv,
        _ => return Err(AppError::NotFound),
    };
    Ok((slug, format))
}

fn locale(params: &FileParams) -> Locale {
    super::language::locale_param(params.lang.as_deref())
}

pub async fn my_file(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Path(file): Path<String>,
    Query(params): Query<FileParams>,
) -> Response {
    let result = async {
        let caller = guard::check(auth.map(|Extension(a)| a), Role::User)?;
        let (slug, format) = split(&file)?;
        let figure = MyFigure::from_slug(slug).ok_or(AppError::NotFound)?;
        let stats = mine::load(&state.db, caller.id, &state.clock, chrono::Utc::now()).await?;
        let locale = locale(&params);
        Ok::<_, AppError>(match format {
            Format::Svg => svg(export::my_chart(figure, &stats, locale, params.narrow()))?,
            Format::Csv => csv(&figure.table(&stats, locale), &format!("my-{slug}"))?,
        })
    };
    result.await.unwrap_or_else(|error| error_response(&error))
}

pub async fn scope_file(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Path(file): Path<String>,
    Query(params): Query<FileParams>,
) -> Response {
    let requested = match access::parse_department(params.department.as_deref()) {
        Ok(requested) => requested,
        Err(error) => return bad_request(&error),
    };
    let result = async {
        let caller = guard::check(auth.map(|Extension(a)| a), Role::Leader)?;
        let (slug, format) = split(&file)?;
        let figure = ScopeFigure::from_slug(slug).ok_or(AppError::NotFound)?;
        let (_, scope) = access::resolve(&state, &caller, requested).await?;
        let stats = app::statistics::stored(&state, scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let locale = locale(&params);
        Ok::<_, AppError>(match format {
            Format::Svg => svg(export::scope_chart(
                figure,
                &stats.figures,
                locale,
                params.narrow(),
            ))?,
            Format::Csv => csv(
                &figure.table(&stats.figures, locale),
                &format!("{slug}-{scope}-{}", stats.computed_at.format("%Y%m%d-%H%M")),
            )?,
        })
    };
    result.await.unwrap_or_else(|error| error_response(&error))
}

fn svg(
    chart: Option<Result<String, app::statistics::charts::ChartError>>,
) -> Result<Response, AppError> {
    let svg = chart.ok_or(AppError::NotFound)?.map_err(|error| {
        tracing::error!(%error, "statistics chart");
        AppError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            // The address carries the snapshot's time: a new one is a new address.
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        svg,
    )
        .into_response())
}

fn csv(table: &Table, name: &str) -> Result<Response, AppError> {
    let body = export::csv(table).map_err(|error| {
        tracing::error!(%error, "statistics CSV");
        AppError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}
