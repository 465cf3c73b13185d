//! `/admin/equipment/import`: pick a CSV file (or paste it), import it all or
//! nothing, and read the per-row report.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::equipment::{IMPORT_MAX_ROWS, ImportEquipment, ImportReport};
use crate::i18n::*;
use crate::pages::{error_text, validation_text};

const TEMPLATE: &str =
    "asset_code,name,model,serial_number,category,department,location,purchase_date,purchase_price";

#[component]
pub fn EquipmentImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let import = ServerAction::<ImportEquipment>::new();
    let pending = import.pending();
    let text = RwSignal::new(String::new());
    let file_error = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(value) => {
                    text.set(value.as_string().unwrap_or_default());
                    file_error.set(false);
                }
                Err(_) => file_error.set(true),
            }
        });
    };
    view! {
        <section class="page-head">
            <h1>{t!(i18n, import_title)}</h1>
            <p class="lead">{td_string!(i18n.get_locale_untracked(), import_lead, max = super::labels::thousands(i64::try_from(IMPORT_MAX_ROWS).unwrap_or(i64::MAX)))}</p>
        </section>
        <div class="split">
            <section class="panel" aria-labelledby="import-form-title">
                <h2 id="import-form-title">{t!(i18n, import_file)}</h2>
                <ActionForm action=import attr:class="form-stack">
                    <label for="import-file">{t!(i18n, import_choose_file)}</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" on:change=on_file />
                    {move || file_error.get().then(|| view! { <p class="form-error" role="alert">{t!(i18n, import_file_unreadable)}</p> })}
                    <label for="import-csv">{t!(i18n, import_paste)}</label>
                    <textarea id="import-csv" name="csv" rows="10" spellcheck="false" class="csv-input"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                        placeholder=TEMPLATE></textarea>
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { t_string!(i18n, importing) } else { t_string!(i18n, import_button) }}
                    </button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="import-help-title">
                <h2 id="import-help-title">{t!(i18n, import_format)}</h2>
                <p>{t!(i18n, import_format_explain)}</p>
                <pre class="csv-sample" tabindex="0">{TEMPLATE}"\nEQ-2026-0001,ThinkPad X1,Gen 11,SN123,LAPTOP,RND,3F-301,2026-03-01,12999.00"</pre>
                <p class="muted">{t!(i18n, import_format_columns)}</p>
            </section>
        </div>
        <section class="panel" aria-live="polite" data-testid="import-report">
            {move || match import.value().get() {
                None => ().into_any(),
                Some(Ok(report)) => view! { <Report report /> }.into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p> }.into_any(),
            }}
        </section>
    }
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
            let message = match e.message.split_once(':') {
                Some(("duplicate_in_file", first)) => {
                    td_string!(locale, v_duplicate_in_file, line = first.to_owned()).to_string()
                }
                _ => validation_text(locale, &e.message),
            };
            view! { <tr><td>{e.line}</td><td><code>{e.field}</code></td><td>{message}</td></tr> }
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
