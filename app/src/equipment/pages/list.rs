//! `/equipment`: filters in the address, numbered pages for the first 100 with
//! a capped count, and "load more" by keyset cursor for everything beyond.
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::labels::{StatusBadge, list_href, status_label, thousands};
use crate::auth::Role;
use crate::catalogue::{Catalogue, get_catalogue};
use crate::equipment::{
    EquipmentPage, EquipmentRow, EquipmentStatus, ListParams, NUMBERED_PAGES, list_equipment,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::layout::signed_in_user;
use crate::pages::{ErrorShown, boxed_fetch, error_text};

const PAGE_SIZE: i64 = 20;

fn params_from_query() -> Memo<ListParams> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        ListParams {
            status: query.get("status"),
            category: query.get("category"),
            department: query.get("department"),
            q: query.get("q"),
            page: query.get("page"),
            cursor: query.get("cursor"),
            size: None,
        }
    })
}

#[component]
pub fn EquipmentListPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = params_from_query();
    let page = Resource::new(
        move || params.get(),
        |params| boxed_fetch(list_equipment(params)),
    );
    let catalogue = Resource::new(|| (), |_| boxed_fetch(get_catalogue()));
    let user = signed_in_user();
    view! {
        <section class="page-head">
            <h1>{t!(i18n, equipment_title)}</h1>
            <p class="lead">{t!(i18n, equipment_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let admin = user().await.is_some_and(|u| u.role >= Role::Admin);
                let catalogue = match catalogue.await {
                    Ok(catalogue) => catalogue,
                    Err(error) => return view! { <ErrorShown error /> }.into_any(),
                };
                let page = page.await;
                view! {
                    <FilterForm params=params.get_untracked() catalogue=catalogue.clone() admin />
                    {match page {
                        Ok(page) => view! { <Results page params=params.get_untracked() catalogue /> }.into_any(),
                        Err(error) => {
                            crate::pages::answer_with(&error);
                            view! {
                                <p class="form-error" role="alert">{error_text(i18n.get_locale_untracked(), &error)}</p>
                            }.into_any()
                        }
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(params: ListParams, catalogue: Catalogue, admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let selected = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    let statuses = EquipmentStatus::ALL.map(|status| {
        view! {
            <option value=status.as_str() selected=selected(&params.status, status.as_str())>
                {status_label(locale, status)}
            </option>
        }
    });
    let categories = catalogue.categories.iter().map(|c| {
        let id = c.id.to_string();
        view! { <option value=id.clone() selected=selected(&params.category, &id)>{c.name.clone()}</option> }
    }).collect_view();
    let departments = catalogue
        .departments
        .iter()
        .map(|d| {
            let id = d.id.to_string();
            view! {
                <option value=id.clone() selected=selected(&params.department, &id)>
                    {Catalogue::indented_department(d)}
                </option>
            }
        })
        .collect_view();
    // Exports in the reader's language (headers, names, statuses).
    let export = |base: &str| {
        let href = list_href(base, &params, None, None);
        let join = if href.contains('?') { '&' } else { '?' };
        format!("{href}{join}lang={}", locale.as_str())
    };
    let (export_csv, export_xlsx) = (
        export("/api/v1/equipment.csv"),
        export("/api/v1/equipment.xlsx"),
    );
    view! {
        <Form method="GET" action="/equipment" attr:class="filter-bar" attr:role="search">
            <div class="filter-field filter-keyword">
                <label for="filter-q">{t!(i18n, filter_keyword)}</label>
                <input id="filter-q" name="q" type="search" value=params.q.clone().unwrap_or_default()
                    placeholder=td_string!(locale, filter_keyword_hint) maxlength="100" />
            </div>
            <div class="filter-field">
                <label for="filter-status">{t!(i18n, filter_status)}</label>
                <select id="filter-status" name="status">
                    <option value="">{t!(i18n, filter_any)}</option>
                    {statuses}
                </select>
            </div>
            <div class="filter-field">
                <label for="filter-category">{t!(i18n, filter_category)}</label>
                <select id="filter-category" name="category">
                    <option value="">{t!(i18n, filter_any)}</option>
                    {categories}
                </select>
            </div>
            <div class="filter-field">
                <label for="filter-department">{t!(i18n, filter_department)}</label>
                <select id="filter-department" name="department">
                    <option value="">{t!(i18n, filter_any)}</option>
                    {departments}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">{t!(i18n, search)}</button>
                <A href="/equipment" attr:class="button button-small">{t!(i18n, filter_clear)}</A>
                <Show when=move || admin>
                    <a class="button button-small" href=export_xlsx.clone() download="">{t!(i18n, export_xlsx)}</a>
                    <a class="button button-small" href=export_csv.clone() download="">{t!(i18n, export_csv)}</a>
                    <A href="/admin/equipment/new" attr:class="button button-small">{t!(i18n, equipment_new)}</A>
                </Show>
            </div>
        </Form>
    }
}

#[component]
fn Results(page: EquipmentPage, params: ListParams, catalogue: Catalogue) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if page.items.is_empty() {
        return view! { <p class="empty">{t!(i18n, equipment_empty)}</p> }.into_any();
    }
    let total = if page.total_capped {
        format!("{}+", thousands(page.count_cap))
    } else {
        thousands(page.total)
    };
    let catalogue = StoredValue::new(catalogue);
    let first_rows = page
        .items
        .iter()
        .cloned()
        .map(|row| view! { <Row row catalogue /> })
        .collect_view();
    // "Load more" appends the next keyset page here (with JavaScript); without
    // it, the same control is a link to that page.
    let extra = RwSignal::new(Vec::<EquipmentRow>::new());
    let next = RwSignal::new(page.next_cursor.clone());
    let loading = RwSignal::new(false);
    let more_error = RwSignal::new(None::<AppError>);
    let base = params.clone();
    let more_href = move || {
        next.get()
            .map(|cursor| list_href("/equipment", &base, None, Some(&cursor)))
    };
    let fetch_params = params.clone();
    let on_more = move |ev: leptos::ev::MouseEvent| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let request = ListParams {
            page: None,
            cursor: Some(cursor),
            ..fetch_params.clone()
        };
        leptos::task::spawn_local(async move {
            match list_equipment(request).await {
                Ok(more) => {
                    extra.update(|rows| rows.extend(more.items));
                    next.set(more.next_cursor);
                    more_error.set(None);
                }
                Err(error) => more_error.set(Some(error)),
            }
            loading.set(false);
        });
    };
    let deep = page.page.is_none();
    view! {
        <p class="result-summary" data-testid="result-count">
            {td_string!(locale, equipment_count, count = total.clone())}
            <Show when=move || page.total_capped>
                <span class="muted">" · "{td_string!(locale, equipment_count_capped, cap = thousands(page.count_cap))}</span>
            </Show>
        </p>
        <div class="table-wrap">
            <table class="data-table equipment-table cards">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_asset_code)}</th>
                        <th scope="col">{t!(i18n, col_name)}</th>
                        <th scope="col">{t!(i18n, col_category)}</th>
                        <th scope="col">{t!(i18n, col_department)}</th>
                        <th scope="col">{t!(i18n, col_location)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_added)}</th>
                    </tr>
                </thead>
                <tbody>
                    {first_rows}
                    <For each=move || extra.get() key=|row| row.id let:row>
                        <Row row catalogue />
                    </For>
                </tbody>
            </table>
        </div>
        <div class="list-footer">
            {page.page.map(|current| view! { <Pager current total=page.total capped=page.total_capped cap=page.count_cap params=params.clone() /> })}
            <Show when=move || deep>
                <A href=list_href("/equipment", &params, None, None) attr:class="button button-small">{t!(i18n, back_to_first_page)}</A>
            </Show>
            {move || more_href().map(|href| view! {
                <a class="button load-more" href=href on:click=on_more.clone() aria-busy=move || loading.get().to_string()>
                    {move || if loading.get() { t_string!(i18n, loading) } else { t_string!(i18n, load_more) }}
                </a>
            })}
            {move || more_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
        </div>
    }
    .into_any()
}

#[component]
fn Row(row: EquipmentRow, catalogue: StoredValue<Catalogue>) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let href = format!("/equipment/{}", row.id);
    let category = catalogue.with_value(|c| c.category_name(row.category_id));
    let department = catalogue.with_value(|c| c.department_name(row.department_id));
    view! {
        <tr>
            <td data-label=td_string!(locale, col_asset_code)><A href=href.clone() attr:class="asset-code">{row.asset_code.clone()}</A></td>
            <td data-label=td_string!(locale, col_name)>
                <A href=href>{row.name.clone()}</A>
                <span class="muted row-model">{row.model.clone()}</span>
            </td>
            <td class="nowrap" data-label=td_string!(locale, col_category)>{category}</td>
            <td class="nowrap" data-label=td_string!(locale, col_department)>{department}</td>
            <td data-label=td_string!(locale, col_location)>{row.location.clone()}</td>
            <td data-label=td_string!(locale, col_status)><StatusBadge status=row.status /></td>
            <td class="nowrap" data-label=td_string!(locale, col_added)>{crate::clock::use_org_clock().day(row.created_at).to_string()}</td>
        </tr>
    }
}

/// Numbered pages around the current one, up to page 100 (or the last page).
#[component]
fn Pager(current: u32, total: i64, capped: bool, cap: i64, params: ListParams) -> impl IntoView {
    let i18n = use_i18n();
    let pages_of =
        |rows: i64| u32::try_from((rows + PAGE_SIZE - 1) / PAGE_SIZE).unwrap_or(NUMBERED_PAGES);
    // Past a capped count the pager offers what the cap covers; "Load more" goes on.
    let last = pages_of(if capped { cap } else { total })
        .clamp(1, NUMBERED_PAGES)
        .max(current);
    let mut shown: Vec<u32> = vec![1, last];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(last));
    shown.sort_unstable();
    shown.dedup();
    let mut items = Vec::new();
    let mut previous = 0;
    for page in shown {
        if page > previous + 1 {
            items.push(view! { <li class="pager-gap" aria-hidden="true">"…"</li> }.into_any());
        }
        previous = page;
        let href = list_href("/equipment", &params, Some(page), None);
        items.push(if page == current {
            view! { <li><span class="pager-current" aria-current="page">{page}</span></li> }
                .into_any()
        } else {
            view! { <li><A href=href>{page}</A></li> }.into_any()
        });
    }
    let prev = (current > 1).then(|| list_href("/equipment", &params, Some(current - 1), None));
    let next = (current < last).then(|| list_href("/equipment", &params, Some(current + 1), None));
    view! {
        <nav class="pager" aria-label=move || td_string!(i18n.get_locale(), pager_label)>
            <ul>
                {prev.map(|href| view! { <li><A href=href attr:rel="prev">{t!(i18n, pager_prev)}</A></li> })}
                {items}
                {next.map(|href| view! { <li><A href=href attr:rel="next">{t!(i18n, pager_next)}</A></li> })}
            </ul>
        </nav>
    }
}
