//! What the colours of a chart stand for: one palette for the whole product
//! (the charts draw with it, the legends and badges use its CSS classes), and
//! each multi-series figure's legend, shown beside its chart.
use super::tables::{MyFigure, ScopeFigure};
use crate::i18n::*;

/// What a series means, and so its colour: one palette for the whole product
/// (the same classes colour the badges and the charts' legends, main.css).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// A single series, or the first of two measures.
    Primary,
    /// The second of two measures (a 90th percentile beside a median).
    Secondary,
    Borrow,
    Return,
    Repair,
    Scrap,
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

impl Swatch {
    /// The CSS class of the same colour (a legend's square).
    pub fn class(self) -> &'static str {
        match self {
            Swatch::Primary => "swatch-primary",
            Swatch::Secondary => "swatch-secondary",
            Swatch::Borrow => "swatch-borrow",
            Swatch::Return => "swatch-return",
            Swatch::Repair => "swatch-repair",
            Swatch::Scrap => "swatch-scrap",
            Swatch::Pending => "swatch-pending",
            Swatch::Approved => "swatch-approved",
            Swatch::Rejected => "swatch-rejected",
            Swatch::Cancelled => "swatch-cancelled",
        }
    }
}

/// The series of a figure with several: label and swatch, in drawing order
/// (the page's legend beside the chart).
pub type Legend = Vec<(String, &'static str)>;

pub(super) fn kinds(l: Locale) -> [(&'static str, Swatch); 4] {
    [
        (td_string!(l, kind_borrow), Swatch::Borrow),
        (td_string!(l, kind_return), Swatch::Return),
        (td_string!(l, kind_repair), Swatch::Repair),
        (td_string!(l, kind_scrap), Swatch::Scrap),
    ]
}

pub(super) fn outcomes(l: Locale) -> [(&'static str, Swatch); 4] {
    [
        (td_string!(l, request_approved), Swatch::Approved),
        (td_string!(l, request_rejected), Swatch::Rejected),
        (td_string!(l, request_cancelled), Swatch::Cancelled),
        (td_string!(l, request_pending), Swatch::Pending),
    ]
}

fn legend_of(entries: &[(&'static str, Swatch)]) -> Legend {
    entries
        .iter()
        .map(|(label, swatch)| ((*label).to_owned(), swatch.class()))
        .collect()
}

/// The legend of a scope figure's chart (empty for one series).
pub fn scope_legend(figure: ScopeFigure, l: Locale) -> Legend {
    match figure {
        ScopeFigure::WeeksByKind => legend_of(&kinds(l)),
        ScopeFigure::WeeksByOutcome => legend_of(&outcomes(l)),
        ScopeFigure::LeadTime => legend_of(&[
            (td_string!(l, stats_col_median_hours), Swatch::Primary),
            (td_string!(l, stats_col_p90_hours), Swatch::Secondary),
        ]),
        _ => Vec::new(),
    }
}

/// The legend of one's own figure's chart.
pub fn my_legend(figure: MyFigure, l: Locale) -> Legend {
    match figure {
        MyFigure::Months => legend_of(&outcomes(l)),
        MyFigure::Holding => Vec::new(),
    }
}
