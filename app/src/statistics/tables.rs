//! Each figure as a table: what the page shows beside its chart, and what its
//! CSV download holds, built once from the same figures so the two agree.
use crate::i18n::*;

use super::model::{OwnStatistics, ScopeFigures};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Right-aligned columns (numbers).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(headers: Vec<(&str, bool)>) -> Self {
        Self {
            numeric: headers.iter().map(|(_, n)| *n).collect(),
            headers: headers.into_iter().map(|(h, _)| h.to_owned()).collect(),
            rows: Vec::new(),
        }
    }
}

/// The organisation/department figures, each with a chart except the list of
/// overdue items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeFigure {
    Status,
    Categories,
    Departments,
    WeeksByKind,
    WeeksByOutcome,
    LeadTime,
    Utilisation,
    TopBorrowers,
    Overdue,
}

/// The user's own figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyFigure {
    Months,
    Holding,
}

impl ScopeFigure {
    pub const ALL: [ScopeFigure; 9] = [
        ScopeFigure::Status,
        ScopeFigure::Categories,
        ScopeFigure::Departments,
        ScopeFigure::WeeksByKind,
        ScopeFigure::WeeksByOutcome,
        ScopeFigure::LeadTime,
        ScopeFigure::Utilisation,
        ScopeFigure::TopBorrowers,
        ScopeFigure::Overdue,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ScopeFigure::Status => "status",
            ScopeFigure::Categories => "categories",
            ScopeFigure::Departments => "departments",
            ScopeFigure::WeeksByKind => "weeks-by-kind",
            ScopeFigure::WeeksByOutcome => "weeks-by-outcome",
            ScopeFigure::LeadTime => "lead-time",
            ScopeFigure::Utilisation => "utilisation",
            ScopeFigure::TopBorrowers => "top-borrowers",
            ScopeFigure::Overdue => "overdue",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }

    pub fn has_chart(self) -> bool {
        self != ScopeFigure::Overdue
    }

    pub fn title(self, locale: Locale) -> &'static str {
        match self {
            ScopeFigure::Status => td_string!(locale, stats_by_status),
            ScopeFigure::Categories => td_string!(locale, stats_by_category),
            ScopeFigure::Departments => td_string!(locale, stats_by_department),
            ScopeFigure::WeeksByKind => td_string!(locale, stats_weeks_by_kind),
            ScopeFigure::WeeksByOutcome => td_string!(locale, stats_weeks_by_outcome),
            ScopeFigure::LeadTime => td_string!(locale, stats_lead_time),
            ScopeFigure::Utilisation => td_string!(locale, stats_utilisation),
            ScopeFigure::TopBorrowers => td_string!(locale, stats_top_borrowers),
            ScopeFigure::Overdue => td_string!(locale, stats_overdue),
        }
    }

    pub fn table(self, f: &ScopeFigures, locale: Locale) -> Table {
        let l = locale;
        match self {
            ScopeFigure::Status => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_status), false),
                    (td_string!(l, stats_col_items), true),
                ]);
                let s = &f.by_status;
                for (name, n) in [
                    (td_string!(l, status_available), s.available),
                    (td_string!(l, status_in_use), s.in_use),
                    (td_string!(l, status_under_repair), s.under_repair),
                    (td_string!(l, status_scrapped), s.scrapped),
                ] {
                    t.rows.push(vec![name.to_owned(), n.to_string()]);
                }
                t
            }
            ScopeFigure::Categories | ScopeFigure::Departments => {
                let (first, list) = if self == ScopeFigure::Categories {
                    (td_string!(l, stats_col_category), &f.by_category)
                } else {
                    (td_string!(l, stats_col_department), &f.by_department)
                };
                let mut t =
                    Table::new(vec![(first, false), (td_string!(l, stats_col_items), true)]);
                t.rows = list
                    .iter()
                    .map(|c| vec![c.name.clone(), c.count.to_string()])
                    .collect();
                t
            }
            ScopeFigure::WeeksByKind => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_week), false),
                    (td_string!(l, kind_borrow), true),
                    (td_string!(l, kind_return), true),
                    (td_string!(l, kind_repair), true),
                    (td_string!(l, kind_scrap), true),
                    (td_string!(l, stats_col_total), true),
                ]);
                t.rows = f
                    .weeks
                    .iter()
                    .map(|w| {
                        [w.borrow, w.return_, w.repair, w.scrap, w.total()]
                            .iter()
                            .map(i64::to_string)
                            .fold(vec![w.week.to_string()], push)
                    })
                    .collect();
                t
            }
            ScopeFigure::WeeksByOutcome => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_week), false),
                    (td_string!(l, request_approved), true),
                    (td_string!(l, request_rejected), true),
                    (td_string!(l, request_cancelled), true),
                    (td_string!(l, request_pending), true),
                ]);
                t.rows = f
                    .weeks
                    .iter()
                    .map(|w| {
                        [w.approved, w.rejected, w.cancelled, w.pending]
                            .iter()
                            .map(i64::to_string)
                            .fold(vec![w.week.to_string()], push)
                    })
                    .collect();
                t
            }
            ScopeFigure::LeadTime => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_kind), false),
                    (td_string!(l, stats_col_decided), true),
                    (td_string!(l, stats_col_median_hours), true),
                    (td_string!(l, stats_col_p90_hours), true),
                ]);
                t.rows = f
                    .lead_times
                    .iter()
                    .map(|lt| {
                        vec![
                            kind_label(l, lt.kind.as_deref()).to_owned(),
                            lt.decided.to_string(),
                            format!("{:.1}", lt.median_hours),
                            format!("{:.1}", lt.p90_hours),
                        ]
                    })
                    .collect();
                t
            }
            ScopeFigure::Utilisation => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_category), false),
                    (td_string!(l, stats_col_items), true),
                    (td_string!(l, stats_col_hours_in_use), true),
                    (td_string!(l, stats_col_share), true),
                ]);
                t.rows = f
                    .utilisation
                    .iter()
                    .map(|u| {
                        vec![
                            u.category.clone(),
                            u.items.to_string(),
                            format!("{:.1}", u.hours_in_use),
                            format!("{:.1}%", u.share * 100.0),
                        ]
                    })
                    .collect();
                t
            }
            ScopeFigure::TopBorrowers => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_person), false),
                    (td_string!(l, stats_col_loans), true),
                ]);
                t.rows = f
                    .top_borrowers
                    .iter()
                    .map(|b| vec![b.name.clone(), b.loans.to_string()])
                    .collect();
                t
            }
            ScopeFigure::Overdue => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_asset_code), false),
                    (td_string!(l, stats_col_name), false),
                    (td_string!(l, stats_col_holder), false),
                    (td_string!(l, stats_col_due_on), false),
                    (td_string!(l, stats_col_days_overdue), true),
                ]);
                t.rows = f
                    .overdue
                    .iter()
                    .map(|o| {
                        vec![
                            o.asset_code.clone(),
                            o.name.clone(),
                            o.holder.clone(),
                            o.due_on.to_string(),
                            o.days_overdue.to_string(),
                        ]
                    })
                    .collect();
                t
            }
        }
    }
}

impl MyFigure {
    pub const ALL: [MyFigure; 2] = [MyFigure::Months, MyFigure::Holding];

    pub fn slug(self) -> &'static str {
        match self {
            MyFigure::Months => "requests-by-month",
            MyFigure::Holding => "holding",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }

    pub fn has_chart(self) -> bool {
        self == MyFigure::Months
    }

    pub fn title(self, locale: Locale) -> &'static str {
        match self {
            MyFigure::Months => td_string!(locale, stats_my_months),
            MyFigure::Holding => td_string!(locale, stats_my_holding),
        }
    }

    pub fn table(self, s: &OwnStatistics, locale: Locale) -> Table {
        let l = locale;
        match self {
            MyFigure::Months => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_month), false),
                    (td_string!(l, request_pending), true),
                    (td_string!(l, request_approved), true),
                    (td_string!(l, request_rejected), true),
                    (td_string!(l, request_cancelled), true),
                ]);
                t.rows = s
                    .months
                    .iter()
                    .map(|m| {
                        [m.pending, m.approved, m.rejected, m.cancelled]
                            .iter()
                            .map(i64::to_string)
                            .fold(vec![m.month.format("%Y-%m").to_string()], push)
                    })
                    .collect();
                t
            }
            MyFigure::Holding => {
                let mut t = Table::new(vec![
                    (td_string!(l, stats_col_asset_code), false),
                    (td_string!(l, stats_col_name), false),
                    (td_string!(l, stats_col_due_on), false),
                    (td_string!(l, stats_col_days_overdue), true),
                ]);
                t.rows = s
                    .holding
                    .iter()
                    .map(|h| {
                        let late = h
                            .due_on
                            .map(|d| (s.today - d).num_days().max(0))
                            .unwrap_or(0);
                        vec![
                            h.asset_code.clone(),
                            h.name.clone(),
                            h.due_on.map(|d| d.to_string()).unwrap_or_default(),
                            late.to_string(),
                        ]
                    })
                    .collect();
                t
            }
        }
    }
}

pub fn kind_label(locale: Locale, kind: Option<&str>) -> &'static str {
    match kind {
        None => td_string!(locale, stats_all_kinds),
        Some("borrow") => td_string!(locale, kind_borrow),
        Some("return") => td_string!(locale, kind_return),
        Some("repair") => td_string!(locale, kind_repair),
        Some("scrap") => td_string!(locale, kind_scrap),
        Some(_) => "—",
    }
}

fn push(mut row: Vec<String>, cell: String) -> Vec<String> {
    row.push(cell);
    row
}
