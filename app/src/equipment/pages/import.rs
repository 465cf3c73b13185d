//! `/admin/equipment/import`: choose a file (CSV in any encoding Excel saves,
//! or .xlsx) or paste CSV, import it all or nothing, and read the per-row
//! report. The file goes to the server as it is (multipart): the browser
//! would read a GBK file as garbage.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::equipment::sheet::Column;
use crate::equipment::{IMPORT_MAX_ROWS, ImportReport, import_equipment};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{error_text, validation_text};

#[component]
pub fn EquipmentImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let import =
        Action::new_local(|form: &web_sys::FormData| import_equipment(form.clone().into()));
    let pending = import.pending();
    let file_chosen = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use wasm_bindgen::JsCast;
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok());
        if let Some(form) = form {
            import.dispatch_local(form);
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .is_some_and(|files| files.length() > 0);
        file_chosen.set(chosen);
    };
    let lang = move || i18n.get_locale().as_str();
    view! {
        <section class="page-head">
            <h1>{t!(i18n, import_title)}</h1>
            <p class="lead">{td_string!(i18n.get_locale_untracked(), import_lead, max = super::labels::thousands(i64::try_from(IMPORT_MAX_ROWS).unwrap_or(i64::MAX)))}</p>
        </section>
        <div class="split">
            <section class="panel" aria-labelledby="import-form-title">
                <h2 id="import-form-title">{t!(i18n, import_file)}</h2>
                <form method="post" enctype="multipart/form-data" action="/api/rpc/equipment/import"
                    class="form-stack" on:submit=on_submit>
                    <label for="import-file">{t!(i18n, import_choose_file)}</label>
                    <input id="import-file" name="file" type="file"
                        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        on:change=on_file />
                    {move || file_chosen.get().then(|| view! { <p class="muted" role="status">{t!(i18n, import_file_chosen)}</p> })}
                    <label for="import-csv">{t!(i18n, import_paste)}</label>
                    <textarea id="import-csv" name="csv" rows="8" spellcheck="false" class="csv-input"
                        placeholder=move || sample_header(i18n.get_locale())></textarea>
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { t_string!(i18n, importing) } else { t_string!(i18n, import_button) }}
                    </button>
                </form>
            </section>
            <section class="panel" aria-labelledby="import-help-title">
                <h2 id="import-help-title">{t!(i18n, import_format)}</h2>
                <p>{t!(i18n, import_format_explain)}</p>
                <dl class="import-columns">
                    <dt>{t!(i18n, import_required)}</dt>
                    <dd>{move || column_list(i18n.get_locale(), true)}</dd>
                    <dt>{t!(i18n, import_optional)}</dt>
                    <dd>{move || column_list(i18n.get_locale(), false)}</dd>
                </dl>
                <p class="muted">{t!(i18n, import_format_encoding)}</p>
                <p class="muted">{t!(i18n, import_format_columns)}</p>
                <h3>{t!(i18n, import_template)}</h3>
                <p class="button-row">
                    <a class="button button-small" download=""
                        href=move || format!("/api/v1/equipment-template.xlsx?lang={}", lang())>{t!(i18n, import_template_xlsx)}</a>
                    <a class="button button-small" download=""
                        href=move || format!("/api/v1/equipment-template.csv?lang={}", lang())>{t!(i18n, import_template_csv)}</a>
                </p>
            </section>
        </div>
        <section class="panel" aria-live="polite" data-testid="import-report">
            {move || match import.value().get() {
                None => ().into_any(),
                Some(Ok(report)) => view! { <Report report /> }.into_any(),
                Some(Err(error)) => {
                    let error: AppError = error;
                    view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p> }.into_any()
                }
            }}
        </section>
    }
}

/// The header row of a file, in the reader's language.
fn sample_header(locale: Locale) -> String {
    Column::ALL
        .iter()
        .map(|c| c.label(locale))
        .collect::<Vec<_>>()
        .join(",")
}

/// The columns as a list whose names never break inside ("购置日/期").
fn column_list(locale: Locale, required: bool) -> impl IntoView {
    let separator = if locale == Locale::zh { "、" } else { ", " };
    let names: Vec<&'static str> = Column::ALL
        .iter()
        .filter(|c| Column::REQUIRED.contains(c) == required)
        .map(|c| c.label(locale))
        .collect();
    let last = names.len().saturating_sub(1);
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            view! { <span class="nowrap">{name}</span>{(i < last).then_some(separator)} }
        })
        .collect_view()
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if report.errors.is_empty() {
        return view! {
            <p class="form-success" role="status">{td_string!(locale, import_done, count = report.created)}</p>
            <A href="/equipment" attr:class="button button-small">{t!(i18n, import_see_list)}</A>
        }
        .into_any();
    }
    let errors = report.errors.len();
    let rows = report
        .errors
        .into_iter()
        .map(|e| {
            let message = match e.message.split(':').collect::<Vec<_>>().as_slice() {
                ["duplicate_in_file", first] => {
                    td_string!(locale, v_duplicate_in_file, line = (*first).to_owned()).to_string()
                }
                ["too_many_cells", cells, columns] => td_string!(
                    locale,
                    v_too_many_cells,
                    cells = (*cells).to_owned(),
                    columns = (*columns).to_owned()
                )
                .to_string(),
                _ => validation_text(locale, &e.message),
            };
            // The column as the reader's file names it, not our internal key.
            let field = Column::ALL
                .into_iter()
                .find(|c| c.key() == e.field)
                .map(|c| c.label(locale).to_owned())
                .unwrap_or(e.field);
            view! { <tr><td>{e.line}</td><td>{field}</td><td>{message}</td></tr> }
        })
        .collect_view();
    view! {
        <p class="form-error" role="alert">{td_string!(locale, import_failed, rows = report.rows, errors = errors)}</p>
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, col_line)}</th>
                    <th scope="col">{t!(i18n, col_field)}</th>
                    <th scope="col">{t!(i18n, col_problem)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
