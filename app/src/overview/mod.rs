//! Console landing pages: the organisation's equipment at a glance.
mod api;
#[cfg(feature = "ssr")]
mod repo;

use leptos::prelude::*;

pub use api::{
    Attention, DepartmentSummary, LeaderHome, Overview, StatusCounts, equipment_overview,
    leader_console,
};

use crate::i18n::*;
use crate::pages::boxed_fetch;

/// User console home: how many items are in each status.
#[component]
pub fn UserConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| boxed_fetch(equipment_overview()));
    view! {
        <section class="page-head">
            <h1>{t!(i18n, console_user_title)}</h1>
            <p class="lead">{t!(i18n, console_user_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(overview.await.map(|overview| view! {
                    <StatusCards overview=overview.counts />
                    {overview.as_of.map(|at| view! {
                        <p class="muted small">
                            {move || td_string!(i18n.get_locale(), console_counts_as_of, at = crate::clock::use_org_clock().minute(at)).to_string()}
                        </p>
                    })}
                }))
            })}
        </Suspense>
    }
}

#[component]
fn StatusCards(overview: StatusCounts) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="stat-grid">
            <div class="stat stat-total">
                <span class="stat-label">{t!(i18n, total_equipment)}</span>
                <span class="stat-value">{overview.total()}</span>
            </div>
            <div class="stat stat-available">
                <span class="stat-label">{t!(i18n, status_available)}</span>
                <span class="stat-value">{overview.available}</span>
            </div>
            <div class="stat stat-in-use">
                <span class="stat-label">{t!(i18n, status_in_use)}</span>
                <span class="stat-value">{overview.in_use}</span>
            </div>
            <div class="stat stat-repair">
                <span class="stat-label">{t!(i18n, status_under_repair)}</span>
                <span class="stat-value">{overview.under_repair}</span>
            </div>
            <div class="stat stat-scrapped">
                <span class="stat-label">{t!(i18n, status_scrapped)}</span>
                <span class="stat-value">{overview.scrapped}</span>
            </div>
        </div>
    }
}

/// Leader console home: what needs attention now, then the departments.
#[component]
pub fn LeaderConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    // The counts follow requests filed or withdrawn meanwhile (announced live).
    let arrivals = crate::notifications::live_count(&["request.submitted", "request.cancelled"]);
    let console = Resource::new(arrivals, |_| boxed_fetch(leader_console()));
    view! {
        <section class="page-head">
            <h1>{t!(i18n, console_leader_title)}</h1>
            <p class="lead">{t!(i18n, console_leader_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(console.await.map(|console| view! {
                    <AttentionPanel attention=console.attention />
                    <h2 class="section-title">{t!(i18n, console_departments)}</h2>
                    {console.equipment_as_of.map(|at| view! {
                        <p class="muted small">
                            {move || td_string!(i18n.get_locale(), console_equipment_as_of, at = crate::clock::use_org_clock().minute(at)).to_string()}
                        </p>
                    })}
                    <DepartmentTable rows=console.departments />
                }))
            })}
        </Suspense>
    }
}

/// Three cards, each a count and a link to where it is dealt with; a zero
/// count reads as "all clear" rather than as an alarm.
#[component]
fn AttentionPanel(attention: Attention) -> impl IntoView {
    let i18n = use_i18n();
    let card = move |count: i64, label: &'static str, href: &'static str, testid: &'static str| {
        let class = if count > 0 {
            "attention-card attention-due"
        } else {
            "attention-card"
        };
        view! {
            <a class=class href=href data-testid=testid>
                <span class="attention-count">{count}</span>
                <span class="attention-label">{label}</span>
            </a>
        }
    };
    let locale = i18n.get_locale_untracked();
    view! {
        <section class="attention" aria-labelledby="attention-title">
            <h2 id="attention-title" class="section-title">{t!(i18n, attention_title)}</h2>
            <div class="attention-grid">
                {card(attention.pending, td_string!(locale, attention_pending), "/leader/approvals", "attention-pending")}
                {card(attention.overdue, td_string!(locale, attention_overdue), "/leader/statistics#figure-overdue", "attention-overdue")}
                {card(attention.under_repair, td_string!(locale, attention_under_repair), "/equipment?status=under_repair", "attention-repair")}
            </div>
        </section>
    }
}

#[component]
fn DepartmentTable(rows: Vec<DepartmentSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, department)}</th>
                        <th scope="col" class="num">{t!(i18n, people)}</th>
                        <th scope="col" class="num">{t!(i18n, equipment)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <td class=format!("tree-depth-{}", row.depth.clamp(0, 4))>
                                        {row.name}
                                    </td>
                                    <td class="num">{row.people}</td>
                                    <td class="num">{row.equipment.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
