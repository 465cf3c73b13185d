//! The figures' charts (SVG) and tables (CSV) as files, for the pages' images
//! and download links.
use crate::i18n::Locale;

use super::charts::{
    BarChart, ChartError, Series, Swatch, count_label, hours_label, percent_label,
};
use super::legend::{kinds, outcomes};
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
            swatch: Swatch::Primary,
        }],
        horizontal,
        grouped: false,
        value_label: count_label,
        min_top: 0.0,
        narrow: false,
    }
}

/// Weeks as grouped bars: one series a (label, swatch), its values picked
/// from each week in that order.
fn weekly(
    categories: Vec<String>,
    weeks: &[super::model::WeekRequests],
    keys: [(&str, Swatch); 4],
    values: impl Fn(&super::model::WeekRequests) -> [i64; 4],
) -> BarChart {
    BarChart {
        categories,
        series: keys
            .into_iter()
            .enumerate()
            .map(|(i, (label, swatch))| {
                series(label, weeks.iter().map(|w| values(w)[i]).collect(), swatch)
            })
            .collect(),
        ..single(Vec::new(), Vec::new(), false)
    }
}

fn series(label: &str, values: Vec<i64>, swatch: Swatch) -> Series {
    Series {
        label: label.to_owned(),
        values: values.into_iter().map(|v| v as f64).collect(),
        swatch,
    }
}

pub fn scope_chart(
    figure: ScopeFigure,
    f: &ScopeFigures,
    l: Locale,
    narrow: bool,
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
        ScopeFigure::WeeksByKind => weekly(week_labels(), &f.weeks, kinds(l), |w| {
            [w.borrow, w.return_, w.repair, w.scrap]
        }),
        ScopeFigure::WeeksByOutcome => weekly(week_labels(), &f.weeks, outcomes(l), |w| {
            [w.approved, w.rejected, w.cancelled, w.pending]
        }),
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
                    swatch: Swatch::Primary,
                },
                Series {
                    label: td_string!(l, stats_col_p90_hours).into(),
                    values: f.lead_times.iter().map(|lt| lt.p90_hours).collect(),
                    swatch: Swatch::Secondary,
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
    Some(BarChart { narrow, ..chart }.to_svg())
}

pub fn my_chart(
    figure: MyFigure,
    s: &OwnStatistics,
    l: Locale,
    narrow: bool,
) -> Option<Result<String, ChartError>> {
    match figure {
        MyFigure::Months => {
            let values =
                |m: &super::model::MonthRequests| [m.approved, m.rejected, m.cancelled, m.pending];
            Some(
                BarChart {
                    categories: s
                        .months
                        .iter()
                        .map(|m| m.month.format("%Y-%m").to_string())
                        .collect(),
                    series: outcomes(l)
                        .into_iter()
                        .enumerate()
                        .map(|(i, (label, swatch))| {
                            series(
                                label,
                                s.months.iter().map(|m| values(m)[i]).collect(),
                                swatch,
                            )
                        })
                        .collect(),
                    narrow,
                    ..single(Vec::new(), Vec::new(), false)
                }
                .to_svg(),
            )
        }
        MyFigure::Holding => None,
    }
}
