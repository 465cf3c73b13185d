//! `/leader/audit` and `/admin/audit`: the audit trail, filtered by actor,
//! record and period (all kept in the address), each row's before/after shown
//! as the fields that changed.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

use super::api::audit_trail;
use super::diff::FieldChange;
use super::model::{AuditPage, AuditRow, ENTITY_TYPES};
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text, filtered_href};

/// Filter fields, in the order the form shows them.
const FILTERS: [&str; 5] = ["actor", "entity", "entity_id", "from", "to"];

pub fn entity_label(locale: Locale, entity_type: &str) -> &'static str {
    match entity_type {
        "user" => td_string!(locale, audit_entity_user),
        "department" => td_string!(locale, audit_entity_department),
        "equipment" => td_string!(locale, audit_entity_equipment),
        "equipment_category" => td_string!(locale, audit_entity_equipment_category),
        "equipment_request" => td_string!(locale, audit_entity_equipment_request),
        _ => "—",
    }
}

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let trail = Resource::new(
        move || (FILTERS.map(get), get("before")),
        |([actor, entity, entity_id, from, to], before)| {
            boxed_fetch(audit_trail(actor, entity, entity_id, from, to, before))
        },
    );
    let locale = i18n.get_locale_untracked();
    let value = move |key: &'static str| move || get(key).unwrap_or_default();
    let entity_options = ENTITY_TYPES
        .into_iter()
        .map(|e| view! { <option value=e selected=move || get("entity").as_deref() == Some(e)>{entity_label(locale, e)}</option> })
        .collect_view();
    view! {
        <section class="page-head">
            <h1>{t!(i18n, audit_title)}</h1>
            <p class="lead">{t!(i18n, audit_lead)}</p>
        </section>
        <form method="get" class="filter-bar filter-bar-audit" role="search">
            <div class="filter-field">
                <label for="audit-actor">{t!(i18n, audit_actor)}</label>
                <input id="audit-actor" name="actor" type="search" maxlength="64" prop:value=value("actor") />
            </div>
            <div class="filter-field">
                <label for="audit-entity">{t!(i18n, audit_entity)}</label>
                <select id="audit-entity" name="entity">
                    <option value="">{t!(i18n, filter_all)}</option>
                    {entity_options}
                </select>
            </div>
            <div class="filter-field filter-field-narrow">
                <label for="audit-entity-id">{t!(i18n, audit_entity_id)}</label>
                <input id="audit-entity-id" name="entity_id" type="text" inputmode="numeric" pattern="[0-9]*" prop:value=value("entity_id") />
            </div>
            <div class="filter-field">
                <label for="audit-from">{t!(i18n, audit_from)}</label>
                <input id="audit-from" name="from" type="date" prop:value=value("from") />
            </div>
            <div class="filter-field">
                <label for="audit-to">{t!(i18n, audit_to)}</label>
                <input id="audit-to" name="to" type="date" prop:value=value("to") />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button button-small">{t!(i18n, filter_apply)}</button>
            </div>
        </form>
        <Suspense fallback=move || view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match trail.await {
                    Ok(page) => view! { <AuditTable page /> }.into_any(),
                    Err(error) => view! {
                        <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditTable(page: AuditPage) -> impl IntoView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, audit_empty)}</p> }.into_any();
    }
    let locale = i18n.get_locale_untracked();
    let query = use_query_map().get_untracked();
    let path = use_location().pathname.get_untracked();
    let older = page
        .next
        .map(|cursor| filtered_href(&path, &query, &FILTERS, Some(("before", cursor))));
    let newest = query
        .get("before")
        .is_some()
        .then(|| filtered_href(&path, &query, &FILTERS, None));
    let rows = page
        .rows
        .into_iter()
        .map(|row| view! { <AuditRowView row locale /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table audit-table cards">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, audit_col_when)}</th>
                        <th scope="col">{t!(i18n, audit_col_actor)}</th>
                        <th scope="col">{t!(i18n, audit_col_action)}</th>
                        <th scope="col">{t!(i18n, audit_col_entity)}</th>
                        <th scope="col">{t!(i18n, audit_col_changes)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || td_string!(i18n.get_locale(), pager_label)>
            {newest.map(|href| view! { <A href=href attr:class="button button-small">{t!(i18n, audit_newest)}</A> })}
            {older.map(|href| view! { <A href=href attr:class="button button-small">{t!(i18n, audit_older)}</A> })}
        </nav>
    }
    .into_any()
}

#[component]
fn AuditRowView(row: AuditRow, locale: Locale) -> impl IntoView {
    let i18n = use_i18n();
    let actor = match row.actor {
        Some((name, username)) => {
            view! { {name}" "<span class="muted">"@"{username}</span> }.into_any()
        }
        None => view! { <span class="muted">{t!(i18n, audit_system)}</span> }.into_any(),
    };
    let entity = format!(
        "{} #{}",
        entity_label(locale, &row.entity_type),
        row.entity_id
    );
    let entity = if row.entity_type == "equipment" {
        view! { <A href=format!("/equipment/{}", row.entity_id)>{entity}</A> }.into_any()
    } else {
        view! { <span>{entity}</span> }.into_any()
    };
    view! {
        <tr data-testid="audit-row">
            <td class="nowrap" data-label=td_string!(locale, audit_col_when)>{crate::clock::use_org_clock().second(row.at)}</td>
            <td class="nowrap" data-label=td_string!(locale, audit_col_actor)>{actor}</td>
            <td data-label=td_string!(locale, audit_col_action)><code>{row.action}</code></td>
            <td class="nowrap" data-label=td_string!(locale, audit_col_entity)>{entity}</td>
            <td data-label=td_string!(locale, audit_col_changes)><ChangeList changes=row.changes /></td>
        </tr>
    }
}

#[component]
fn ChangeList(changes: Vec<FieldChange>) -> impl IntoView {
    let i18n = use_i18n();
    if changes.is_empty() {
        return view! { <span class="muted">{t!(i18n, audit_no_changes)}</span> }.into_any();
    }
    let items = changes
        .into_iter()
        .map(|c| {
            let before = c.before.map(|b| view! { <del>{b}</del>" → " });
            let after = c
                .after
                .map(|a| view! { <ins>{a}</ins> }.into_any())
                .unwrap_or_else(|| view! { <span class="muted">"—"</span> }.into_any());
            view! {
                <li><span class="diff-field">{c.field}</span>": "{before}{after}</li>
            }
        })
        .collect_view();
    view! { <ul class="diff-list">{items}</ul> }.into_any()
}
