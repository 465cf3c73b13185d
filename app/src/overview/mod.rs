//! Console landing pages: the organisation's equipment at a glance.
mod api;
#[cfg(feature = "ssr")]
mod repo;

use leptos::prelude::*;

pub use api::{DepartmentSummary, StatusCounts, department_summaries, equipment_overview};

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
                overview.await.map(|overview| view! { <StatusCards overview /> })
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

/// Leader console home: people and equipment per department.
#[component]
pub fn LeaderConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let departments = Resource::new(|| (), |_| boxed_fetch(department_summaries()));
    view! {
        <section class="page-head">
            <h1>{t!(i18n, console_leader_title)}</h1>
            <p class="lead">{t!(i18n, console_leader_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                departments.await.map(|rows| view! { <DepartmentTable rows /> })
            })}
        </Suspense>
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
                                    <td class="num">{row.equipment}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
