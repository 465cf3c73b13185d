//! The form that files a transaction: on an item's page (the kinds its state
//! allows) and on `/requests/new` (any item, named by its asset code).
use leptos::prelude::*;
use leptos_router::components::A;

use crate::equipment::kind_label;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{error_text, validation_text};
use crate::requests::{FileRequest, RequestKind, RequestRow};

fn field_error(
    value: Option<Result<RequestRow, AppError>>,
    field: &str,
    locale: Locale,
) -> Option<String> {
    let error = value?.err()?;
    error
        .field_message(field)
        .map(|m| validation_text(locale, m))
}

/// `equipment_id`: the item of the page (else the form asks for an asset code).
/// `offered`: the kinds to offer (all four on `/requests/new`).
#[component]
pub fn FileRequestForm(
    equipment_id: Option<i64>,
    offered: Vec<RequestKind>,
    action: ServerAction<FileRequest>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if offered.is_empty() {
        return view! { <p class="muted">{t!(i18n, request_nothing_offered)}</p> }.into_any();
    }
    let first = offered[0];
    let kind = RwSignal::new(first);
    let options = offered
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=*k == first>{kind_label(locale, k.as_str())}</option> })
        .collect_view();
    let error = move |field: &'static str| {
        Signal::derive(move || field_error(action.value().get(), field, i18n.get_locale()))
    };
    let general = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| e.issues().is_empty())
    });
    let filed = Signal::derive(move || action.value().get().and_then(|r| r.ok()));
    let today = crate::clock::use_org_clock()
        .today(chrono::Utc::now())
        .to_string();
    let target = match equipment_id {
        Some(id) => {
            view! { <input type="hidden" name="equipment_id" value=id.to_string() /> }.into_any()
        }
        None => view! {
            <label for="request-asset-code">{t!(i18n, col_asset_code)}</label>
            <input id="request-asset-code" name="asset_code" required autocapitalize="characters"
                aria-describedby="request-asset-code-error" />
            <FieldError id="request-asset-code-error" message=error("asset_code") />
        }
        .into_any(),
    };
    // A filed request empties the form: the next one starts afresh.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if filed.get().is_some()
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
    view! {
        <ActionForm action node_ref=form attr:class="form-stack request-form" attr:novalidate="">
            {target}
            <label for="request-kind">{t!(i18n, col_kind)}</label>
            <select id="request-kind" name="kind" on:change=move |ev| {
                if let Some(k) = RequestKind::parse(&event_target_value(&ev)) { kind.set(k); }
            }>{options}</select>
            <label for="request-reason">{t!(i18n, col_reason)}</label>
            <textarea id="request-reason" name="reason" rows="3" maxlength="2000" required
                aria-describedby="request-reason-error"></textarea>
            <FieldError id="request-reason-error" message=error("reason") />
            // The period matters for a loan only; without JavaScript it is always shown.
            <fieldset class="period" class:hidden=move || kind.get() != RequestKind::Borrow>
                <legend>{t!(i18n, request_period)}</legend>
                <div class="period-fields">
                    <div>
                        <label for="request-start">{t!(i18n, request_period_start)}</label>
                        <input id="request-start" name="period_start" type="date" min=today.clone() aria-describedby="request-start-error" />
                        <FieldError id="request-start-error" message=error("period_start") />
                    </div>
                    <div>
                        <label for="request-end">{t!(i18n, request_period_end)}</label>
                        <input id="request-end" name="period_end" type="date" min=today aria-describedby="request-end-error" />
                        <FieldError id="request-end-error" message=error("period_end") />
                    </div>
                </div>
            </fieldset>
            {move || general.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
            {move || filed.get().map(|row| view! {
                <p class="form-success" role="status" data-testid="request-filed">
                    {td_string!(
                        i18n.get_locale(),
                        request_filed,
                        kind = kind_label(i18n.get_locale(), row.kind.as_str()),
                        item = format!("{} {}", row.asset_code, row.equipment_name)
                    )}" "
                    <A href="/requests">{t!(i18n, request_see_mine)}</A>
                </p>
            })}
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {move || if action.pending().get() { t_string!(i18n, saving) } else { t_string!(i18n, request_submit) }}
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn FieldError(id: &'static str, message: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{move || message.get()}</p> }
}
