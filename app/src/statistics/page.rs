//! `/statistics` (everyone: their own figures) and `/leader/statistics`
//! (leaders: their departments; admins: any department or the organisation).
//! Each figure is a chart (an SVG image drawn by the server), its data table
//! and a CSV download of that table.
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{my_statistics, scope_statistics};
use super::model::{
    LEAD_TIME_DAYS, MONTHS_SHOWN, OwnStatistics, ScopeChoice, ScopePage, ScopeStatistics,
    TOP_BORROWER_DAYS, UTILISATION_DAYS, WEEKS_SHOWN,
};
use super::tables::{MyFigure, ScopeFigure, Table};
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text};

#[component]
pub fn MyStatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let stats = Resource::new(|| (), |_| boxed_fetch(my_statistics()));
    view! {
        <section class="page-head">
            <h1>{t!(i18n, stats_my_title)}</h1>
            <p class="lead">{move || td_string!(i18n.get_locale(), stats_my_lead, months = MONTHS_SHOWN).to_string()}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(stats) => view! { <MyFigures stats=Arc::new(stats) /> }.into_any(),
                    Err(error) => view! {
                        <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyFigures(stats: Arc<OwnStatistics>) -> impl IntoView {
    let i18n = use_i18n();
    MyFigure::ALL
        .into_iter()
        .map(|figure| {
            let stats = stats.clone();
            let empty = figure == MyFigure::Holding && stats.holding.is_empty();
            let file = move |ext: &str| {
                format!("/statistics/{}.{ext}?lang={}", figure.slug(), i18n.get_locale().as_str())
            };
            view! {
                <FigureCard
                    slug=figure.slug()
                    title=move || figure.title(i18n.get_locale())
                    chart=figure.has_chart().then(|| Signal::derive(move || file("svg")))
                    legend=Signal::derive(move || super::legend::my_legend(figure, i18n.get_locale()))
                    csv=Signal::derive(move || file("csv"))
                    table=Signal::derive(move || figure.table(&stats, i18n.get_locale()))
                    empty=empty.then(|| td_string!(i18n.get_locale_untracked(), stats_my_holding_empty))
                />
            }
        })
        .collect_view()
}

#[component]
pub fn ScopeStatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let stats = Resource::new(
        move || query.read().get("department").filter(|v| !v.is_empty()),
        |department| boxed_fetch(scope_statistics(department)),
    );
    view! {
        <section class="page-head">
            <h1>{t!(i18n, stats_title)}</h1>
            <p class="lead">{t!(i18n, stats_lead)}" "<a href="/statistics">{t!(i18n, stats_mine_link)}</a></p>
        </section>
        <Suspense fallback=move || view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(page) => view! { <ScopeView page /> }.into_any(),
                    Err(error) => view! {
                        <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ScopeView(page: ScopePage) -> impl IntoView {
    let i18n = use_i18n();
    let chooser = (page.choices.len() > 1)
        .then(|| view! { <ScopeChooser choices=page.choices selected=page.selected /> });
    let body = match page.statistics {
        Some(stats) => view! { <ScopeFigures stats=Arc::new(stats) /> }.into_any(),
        None => view! { <p class="empty" role="status">{t!(i18n, stats_not_ready)}</p> }.into_any(),
    };
    view! { {chooser}{body} }
}

#[component]
fn ScopeChooser(choices: Vec<ScopeChoice>, selected: i64) -> impl IntoView {
    let i18n = use_i18n();
    let options = choices
        .into_iter()
        .map(|c| {
            let indent = "\u{a0}\u{a0}".repeat(usize::try_from(c.depth.max(0)).unwrap_or(0));
            let label = if c.depth < 0 {
                td_string!(i18n.get_locale_untracked(), stats_whole_organisation).to_owned()
            } else {
                format!("{indent}{}", c.name)
            };
            view! { <option value=c.id.to_string() selected=c.id == selected>{label}</option> }
        })
        .collect_view();
    view! {
        <form method="get" class="filter-bar" role="search">
            <div class="filter-field">
                <label for="stats-department">{t!(i18n, stats_scope)}</label>
                <select id="stats-department" name="department">{options}</select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button button-small">{t!(i18n, stats_show)}</button>
            </div>
        </form>
    }
}

#[component]
fn ScopeFigures(stats: Arc<ScopeStatistics>) -> impl IntoView {
    let i18n = use_i18n();
    let as_of = crate::clock::use_org_clock().minute(stats.computed_at);
    let version = stats.computed_at.timestamp();
    let scope = stats.scope;
    let refresh_minutes = stats.refresh_minutes;
    let all_kinds = stats
        .figures
        .lead_times
        .iter()
        .find(|lt| lt.kind.is_none())
        .cloned();
    let f = &stats.figures;
    let summary = view! {
        <div class="stat-grid">
            <div class="stat stat-total">
                <span class="stat-label">{t!(i18n, total_equipment)}</span>
                <span class="stat-value" data-testid="stats-total">{f.by_status.total()}</span>
            </div>
            <div class="stat stat-in-use">
                <span class="stat-label">{t!(i18n, status_in_use)}</span>
                <span class="stat-value">{f.by_status.in_use}</span>
            </div>
            <div class="stat stat-scrapped">
                <span class="stat-label">{t!(i18n, stats_overdue)}</span>
                <span class="stat-value" data-testid="stats-overdue">{f.overdue_total}</span>
            </div>
            <div class="stat stat-repair">
                <span class="stat-label">{t!(i18n, stats_median_lead)}</span>
                <span class="stat-value">
                    {all_kinds.map(|lt| format!("{:.1} h", lt.median_hours)).unwrap_or_else(|| "—".into())}
                </span>
            </div>
        </div>
    };
    let cards = ScopeFigure::ALL
        .into_iter()
        .map(|figure| {
            let stats = stats.clone();
            let file = move |ext: &str| {
                format!(
                    "/leader/statistics/{}.{ext}?department={scope}&lang={}&v={version}",
                    figure.slug(),
                    i18n.get_locale().as_str()
                )
            };
            let empty = figure_is_empty(figure, &stats)
                .then(|| empty_text(figure, i18n.get_locale_untracked()));
            view! {
                <FigureCard
                    slug=figure.slug()
                    title=move || figure.title(i18n.get_locale())
                    chart=figure.has_chart().then(|| Signal::derive(move || file("svg")))
                    legend=Signal::derive(move || super::legend::scope_legend(figure, i18n.get_locale()))
                    csv=Signal::derive(move || file("csv"))
                    table=Signal::derive(move || figure.table(&stats.figures, i18n.get_locale()))
                    empty
                />
            }
        })
        .collect_view();
    view! {
        <p class="freshness" data-testid="stats-freshness">
            {move || td_string!(i18n.get_locale(), stats_as_of, at = as_of.clone(), minutes = refresh_minutes).to_string()}
        </p>
        <p class="muted small">
            {move || td_string!(i18n.get_locale(), stats_windows, weeks = WEEKS_SHOWN, lead = LEAD_TIME_DAYS, utilisation = UTILISATION_DAYS, borrowers = TOP_BORROWER_DAYS).to_string()}
        </p>
        {summary}
        <div class="figure-grid">{cards}</div>
    }
}

fn figure_is_empty(figure: ScopeFigure, stats: &ScopeStatistics) -> bool {
    let f = &stats.figures;
    match figure {
        ScopeFigure::LeadTime => f.lead_times.is_empty(),
        ScopeFigure::TopBorrowers => f.top_borrowers.is_empty(),
        ScopeFigure::Overdue => f.overdue.is_empty(),
        _ => false,
    }
}

fn empty_text(figure: ScopeFigure, locale: Locale) -> &'static str {
    match figure {
        ScopeFigure::LeadTime => td_string!(locale, stats_lead_time_empty),
        ScopeFigure::TopBorrowers => td_string!(locale, stats_top_borrowers_empty),
        _ => td_string!(locale, stats_overdue_empty),
    }
}

/// One figure: heading, chart, data table and CSV link. With nothing to show,
/// a sentence says so instead of an empty chart.
#[component]
fn FigureCard(
    slug: &'static str,
    #[prop(into)] title: Signal<&'static str>,
    chart: Option<Signal<String>>,
    /// What each colour of a chart with several series stands for.
    legend: Signal<super::legend::Legend>,
    csv: Signal<String>,
    table: Signal<Table>,
    empty: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("figure-{slug}");
    let labelled_by = heading.clone();
    // On a wide screen a chart and a narrow table stand side by side; a wide
    // table (weeks, lead times) goes below its chart.
    let beside = chart.is_some() && table.get_untracked().headers.len() <= 3;
    let body = match empty {
        Some(text) => view! { <p class="empty">{text}</p> }.into_any(),
        None => view! {
            <div class="figure-body" class:figure-body-beside=beside>
                // A phone gets the chart drawn for its width (legible text),
                // and the legend is beside the chart, never over its bars.
                {chart.map(|src| view! {
                    <figure class="chart-figure">
                        <picture>
                            <source media="(max-width: 640px)" srcset=move || format!("{}&narrow=1", src.get()) />
                            <img
                                class="chart"
                                src=src
                                alt=move || td_string!(i18n.get_locale(), stats_chart_alt, title = title.get()).to_string()
                                loading="lazy"
                            />
                        </picture>
                        {move || {
                            let entries = legend.get();
                            (!entries.is_empty()).then(|| view! {
                                <ul class="chart-legend">
                                    {entries.into_iter().map(|(label, class)| view! {
                                        <li><span class=format!("swatch {class}") aria-hidden="true"></span>{label}</li>
                                    }).collect_view()}
                                </ul>
                            })
                        }}
                    </figure>
                })}
                <div class="figure-data">
                    <DataTable table title />
                    <a class="button button-small figure-csv" href=csv download="">
                        {t!(i18n, stats_download_csv)}
                    </a>
                </div>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="figure-card" aria-labelledby=labelled_by data-testid=format!("figure-{slug}")>
            <h2 id=heading>{move || title.get()}</h2>
            {body}
        </section>
    }
}

/// The figure's data; its box scrolls when long, so it can take the keyboard's
/// focus and is named after the figure for screen readers.
#[component]
fn DataTable(table: Signal<Table>, title: Signal<&'static str>) -> impl IntoView {
    move || {
        let table = table.get();
        let head = table
            .headers
            .iter()
            .zip(&table.numeric)
            .map(|(h, numeric)| view! { <th scope="col" class:num=*numeric>{h.clone()}</th> })
            .collect_view();
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let cells = row
                    .iter()
                    .zip(&table.numeric)
                    .enumerate()
                    .map(|(i, (cell, numeric))| {
                        if i == 0 {
                            view! { <th scope="row" class:num=*numeric>{cell.clone()}</th> }
                                .into_any()
                        } else {
                            view! { <td class:num=*numeric>{cell.clone()}</td> }.into_any()
                        }
                    })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || title.get()>
                <table class="data-table figure-table">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    }
}
