//! The figures' charts (SVG) and tables (CSV) as files, for the pages' images
//! and download links.
use crate::i18n::Locale;

use super::charts::{BarChart, ChartError, Series, count_label, hours_label, percent_label};
use super::model::{OwnStatistics, ScopeFigures};
use super::tables::{MyFigure, ScopeFigure, Table, kind_label};
use crate::i18n::*;

/// A table as CSV, with a byte-order mark so spreadsheet programs read the
/// Chinese names as UTF-8.
pub fn csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = crate::spreadsheet::CsvOut::new(true);
    out.record(&table.headers)?;
    for row in &table.rows {
        out.record(row)?;
    }
    out.finish()
}

fn single(categories: Vec<String>, values: Vec<f64>, horizontal: bool) -> BarChart {
    BarChart {
        categories,
        series: vec![Series {
            label: String::new(),
            values,
        }],
        horizontal,
        grouped: false,
        value_label: count_label,
        min_top: 0.0,
    }
}

fn series(label: &str, values: Vec<i64>) -> Series {
    Series {
        label: label.to_owned(),
        values: values.into_iter().map(|v| v as f64).collect(),
    }
}

pub fn scope_chart(
    figure: ScopeFigure,
    f: &ScopeFigures,
    l: Locale,
) -> Option<Result<String, ChartError>> {
    let week_labels = || {
        f.weeks
            .iter()
            .map(|w| w.week.format("%m-%d").to_string())
            .collect()
    };
    let chart = match figure {
        ScopeFigure::Status => {
            let s = &f.by_status;
            single(
                vec![
                    td_string!(l, status_available).into(),
                    td_string!(l, status_in_use).into(),
                    td_string!(l, status_under_repair).into(),
                    td_string!(l, status_scrapped).into(),
                ],
                [s.available, s.in_use, s.under_repair, s.scrapped]
                    .map(|v| v as f64)
                    .to_vec(),
                false,
            )
        }
        ScopeFigure::Categories | ScopeFigure::Departments => {
            let list = if figure == ScopeFigure::Categories {
                &f.by_category
            } else {
                &f.by_department
            };
            single(
                list.iter().map(|c| c.name.clone()).collect(),
                list.iter().map(|c| c.count as f64).collect(),
                true,
            )
        }
        ScopeFigure::WeeksByKind => BarChart {
            categories: week_labels(),
            series: vec![
                series(
                    td_string!(l, kind_borrow),
                    f.weeks.iter().map(|w| w.borrow).collect(),
                ),
                series(
                    td_string!(l, kind_return),
                    f.weeks.iter().map(|w| w.return_).collect(),
                ),
                series(
                    td_string!(l, kind_repair),
                    f.weeks.iter().map(|w| w.repair).collect(),
                ),
                series(
                    td_string!(l, kind_scrap),
                    f.weeks.iter().map(|w| w.scrap).collect(),
                ),
            ],
            ..single(Vec::new(), Vec::new(), false)
        },
        ScopeFigure::WeeksByOutcome => BarChart {
            categories: week_labels(),
            series: vec![
                series(
                    td_string!(l, request_approved),
                    f.weeks.iter().map(|w| w.approved).collect(),
                ),
                series(
                    td_string!(l, request_rejected),
                    f.weeks.iter().map(|w| w.rejected).collect(),
                ),
                series(
                    td_string!(l, request_cancelled),
                    f.weeks.iter().map(|w| w.cancelled).collect(),
                ),
                series(
                    td_string!(l, request_pending),
                    f.weeks.iter().map(|w| w.pending).collect(),
                ),
            ],
            ..single(Vec::new(), Vec::new(), false)
        },
        ScopeFigure::LeadTime => BarChart {
            categories: f
                .lead_times
                .iter()
                .map(|lt| kind_label(l, lt.kind.as_deref()).to_owned())
                .collect(),
            series: vec![
                Series {
                    label: td_string!(l, stats_col_median_hours).into(),
                    values: f.lead_times.iter().map(|lt| lt.median_hours).collect(),
                },
                Series {
                    label: td_string!(l, stats_col_p90_hours).into(),
                    values: f.lead_times.iter().map(|lt| lt.p90_hours).collect(),
                },
            ],
            grouped: true,
            value_label: hours_label,
            ..single(Vec::new(), Vec::new(), false)
        },
        // Scaled to the busiest category: shares of a few percent stay legible.
        ScopeFigure::Utilisation => BarChart {
            value_label: percent_label,
            ..single(
                f.utilisation.iter().map(|u| u.category.clone()).collect(),
                f.utilisation.iter().map(|u| u.share).collect(),
                true,
            )
        },
        ScopeFigure::TopBorrowers => single(
            f.top_borrowers.iter().map(|b| b.name.clone()).collect(),
            f.top_borrowers.iter().map(|b| b.loans as f64).collect(),
            true,
        ),
        ScopeFigure::Overdue => return None,
    };
    Some(chart.to_svg())
}

pub fn my_chart(
    figure: MyFigure,
    s: &OwnStatistics,
    l: Locale,
) -> Option<Result<String, ChartError>> {
    match figure {
        MyFigure::Months => Some(
            BarChart {
                categories: s
                    .months
                    .iter()
                    .map(|m| m.month.format("%Y-%m").to_string())
                    .collect(),
                series: vec![
                    series(
                        td_string!(l, request_approved),
                        s.months.iter().map(|m| m.approved).collect(),
                    ),
                    series(
                        td_string!(l, request_rejected),
                        s.months.iter().map(|m| m.rejected).collect(),
                    ),
                    series(
                        td_string!(l, request_cancelled),
                        s.months.iter().map(|m| m.cancelled).collect(),
                    ),
                    series(
                        td_string!(l, request_pending),
                        s.months.iter().map(|m| m.pending).collect(),
                    ),
                ],
                ..single(Vec::new(), Vec::new(), false)
            }
            .to_svg(),
        ),
        MyFigure::Holding => None,
    }
}
