//! `/admin/catalogue`: the department tree and the categories, each with a
//! form that creates or (after "Edit") changes one.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{SaveCategory, SaveDepartment, get_catalogue};
use super::model::{Catalogue, Category, Department};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text, validation_text};

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let save_category = ServerAction::<SaveCategory>::new();
    let save_department = ServerAction::<SaveDepartment>::new();
    let catalogue = Resource::new(
        move || {
            (
                save_category.version().get(),
                save_department.version().get(),
            )
        },
        |_| boxed_fetch(get_catalogue()),
    );
    let leaders = Resource::new(|| (), |_| boxed_fetch(crate::people::department_leaders()));
    let query = use_query_map();
    let editing_category = move || {
        query
            .read()
            .get("category")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let editing_department = move || {
        query
            .read()
            .get("department")
            .and_then(|v| v.parse::<i64>().ok())
    };
    view! {
        <section class="page-head">
            <h1>{t!(i18n, catalogue_title)}</h1>
            <p class="lead">{t!(i18n, catalogue_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                // Who leads what is a courtesy beside the tree: without it the tree still shows.
                let leaders = leaders.await.unwrap_or_default();
                crate::pages::outcome(catalogue.await.map(|catalogue| {
                    let department = editing_department().and_then(|id| catalogue.department(id).cloned());
                    let category = editing_category().and_then(|id| catalogue.category(id).cloned());
                    view! {
                        <div class="split even">
                            <section class="panel" aria-labelledby="departments-title">
                                <h2 id="departments-title">{t!(i18n, departments_title)}</h2>
                                <DepartmentTree departments=catalogue.departments.clone() leaders />
                                <DepartmentForm catalogue=catalogue.clone() editing=department action=save_department />
                            </section>
                            <section class="panel" aria-labelledby="categories-title">
                                <h2 id="categories-title">{t!(i18n, categories_title)}</h2>
                                <CategoryTable categories=catalogue.categories.clone() />
                                <CategoryForm editing=category action=save_category />
                            </section>
                        </div>
                    }
                }))
            })}
        </Suspense>
    }
}

#[component]
fn DepartmentTree(
    departments: Vec<Department>,
    leaders: Vec<crate::people::LeadersOf>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = departments.into_iter().map(|d| {
        let led_by = leaders
            .iter()
            .find(|l| l.department_id == d.id)
            .map(|l| l.names.join(", "));
        let led_by = match led_by {
            Some(names) => view! {
                <span class="tree-leaders">{t!(i18n, departments_led_by)}" "{names}</span>
            }
            .into_any(),
            None => view! { <span class="tree-leaders muted">{t!(i18n, departments_no_leader)}</span> }.into_any(),
        };
        view! {
            <li class=format!("tree-node depth-{}", d.depth.min(6))>
                <span class="tree-name">{d.name.clone()}</span>
                <code class="muted">{d.code.clone()}</code>
                {led_by}
                <A href=format!("/admin/catalogue?department={}", d.id) attr:class="button button-small">{t!(i18n, edit)}</A>
            </li>
        }
    }).collect_view();
    view! { <ul class="tree" data-testid="department-tree">{rows}</ul> }
}

#[component]
fn CategoryTable(categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = categories.into_iter().map(|c| {
        view! {
            <tr>
                <td data-label=td_string!(i18n.get_locale_untracked(), col_code)><code>{c.code.clone()}</code></td>
                <td data-label=td_string!(i18n.get_locale_untracked(), col_name)>{c.name.clone()}</td>
                <td class="muted" data-label=td_string!(i18n.get_locale_untracked(), col_description)>{c.description.clone()}</td>
                <td class="actions"><A href=format!("/admin/catalogue?category={}", c.id) attr:class="button button-small">{t!(i18n, edit)}</A></td>
            </tr>
        }
    }).collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table cards" data-testid="category-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, col_code)}</th>
                    <th scope="col">{t!(i18n, col_name)}</th>
                    <th scope="col">{t!(i18n, col_description)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, edit)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Messages of a failed save: per field, and one for everything else.
fn messages(value: Option<Result<i64, AppError>>, locale: Locale) -> (Vec<String>, Option<String>) {
    match value {
        Some(Err(error)) if !error.issues().is_empty() => (
            error
                .issues()
                .iter()
                .map(|i| validation_text(locale, &i.message))
                .collect(),
            None,
        ),
        Some(Err(error)) => (Vec::new(), Some(error_text(locale, &error))),
        _ => (Vec::new(), None),
    }
}

#[component]
fn SaveOutcome(#[prop(into)] value: Signal<Option<Result<i64, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let (issues, general) = messages(value.get(), i18n.get_locale());
        let saved = matches!(value.get(), Some(Ok(_)));
        view! {
            {saved.then(|| view! { <p class="form-success" role="status">{t!(i18n, saved)}</p> })}
            {general.map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {(!issues.is_empty()).then(|| view! {
                <ul class="form-error" role="alert">{issues.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            })}
        }
    }
}

#[component]
fn DepartmentForm(
    catalogue: Catalogue,
    editing: Option<Department>,
    action: ServerAction<SaveDepartment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = action.pending();
    let current_parent = editing.as_ref().and_then(|d| d.parent_id);
    let own_subtree = editing
        .as_ref()
        .map(|d| catalogue.subtree(d.id))
        .unwrap_or_default();
    let parents = catalogue
        .departments
        .iter()
        .filter(|d| !own_subtree.contains(&d.id))
        .map(|d| view! {
            <option value=d.id.to_string() selected=current_parent == Some(d.id)>{Catalogue::indented_department(d)}</option>
        })
        .collect_view();
    let heading = if editing.is_some() {
        t_string!(i18n, department_edit)
    } else {
        t_string!(i18n, department_new)
    };
    view! {
        <h3>{heading}</h3>
        <ActionForm action attr:class="form-stack compact" attr:data-testid="department-form">
            {editing.as_ref().map(|d| view! { <input type="hidden" name="id" value=d.id.to_string() /> })}
            <label for="department-parent">{t!(i18n, department_parent)}</label>
            <select id="department-parent" name="parent_id">
                <option value="">{t!(i18n, department_root)}</option>
                {parents}
            </select>
            <label for="department-code">{t!(i18n, col_code)}</label>
            <input id="department-code" name="code" required maxlength="32" value=editing.as_ref().map(|d| d.code.clone()).unwrap_or_default() />
            <label for="department-name">{t!(i18n, col_name)}</label>
            <input id="department-name" name="name" required maxlength="100" value=editing.as_ref().map(|d| d.name.clone()).unwrap_or_default() />
            <SaveOutcome value=Signal::derive(move || action.value().get()) />
            <div class="input-row">
                <button type="submit" class="button" disabled=pending>{t!(i18n, save)}</button>
                {editing.is_some().then(|| view! { <A href="/admin/catalogue" attr:class="button button-small">{t!(i18n, cancel)}</A> })}
            </div>
        </ActionForm>
    }
}

#[component]
fn CategoryForm(editing: Option<Category>, action: ServerAction<SaveCategory>) -> impl IntoView {
    let i18n = use_i18n();
    let pending = action.pending();
    let heading = if editing.is_some() {
        t_string!(i18n, category_edit)
    } else {
        t_string!(i18n, category_new)
    };
    view! {
        <h3>{heading}</h3>
        <ActionForm action attr:class="form-stack compact" attr:data-testid="category-form">
            {editing.as_ref().map(|c| view! { <input type="hidden" name="id" value=c.id.to_string() /> })}
            <label for="category-code">{t!(i18n, col_code)}</label>
            <input id="category-code" name="code" required maxlength="32" value=editing.as_ref().map(|c| c.code.clone()).unwrap_or_default() />
            <label for="category-name">{t!(i18n, col_name)}</label>
            <input id="category-name" name="name" required maxlength="100" value=editing.as_ref().map(|c| c.name.clone()).unwrap_or_default() />
            <label for="category-description">{t!(i18n, col_description)}</label>
            <input id="category-description" name="description" maxlength="1000" value=editing.as_ref().map(|c| c.description.clone()).unwrap_or_default() />
            <SaveOutcome value=Signal::derive(move || action.value().get()) />
            <div class="input-row">
                <button type="submit" class="button" disabled=pending>{t!(i18n, save)}</button>
                {editing.is_some().then(|| view! { <A href="/admin/catalogue" attr:class="button button-small">{t!(i18n, cancel)}</A> })}
            </div>
        </ActionForm>
    }
}
