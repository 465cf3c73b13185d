//! `/admin/equipment/new` and `/admin/equipment/{id}/edit`: one form, every
//! wrong field marked at once; an edit names the version it started from, so
//! a concurrent change is reported instead of overwritten.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::catalogue::{Catalogue, get_catalogue};
use crate::confirm::{CONFIRMED, ConfirmButton, Confirmation, Irreversible, phrase};
use crate::equipment::{
    EquipmentItem, EquipmentStatus, RetireEquipment, SaveEquipment, equipment_detail, format_price,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text, validation_text};

#[component]
pub fn EquipmentFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // No id: a new item. An id that is not one (`/admin/equipment/abc/edit`): 404.
    let id = move || {
        params
            .read()
            .get("id")
            .map(|v| v.parse::<i64>().ok().filter(|id| *id > 0))
    };
    let data = Resource::new(id, |id| {
        boxed_fetch(async move {
            let catalogue = get_catalogue().await?;
            let item = match id {
                Some(Some(id)) => Some(equipment_detail(id, None).await?.item),
                Some(None) => return Err(AppError::NotFound),
                None => None,
            };
            Ok::<_, AppError>((catalogue, item))
        })
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(data.await.map(|(catalogue, item)| view! { <EquipmentForm catalogue item /> }))
            })}
        </Suspense>
    }
}

/// The message under a field, when the last save failed because of it.
fn field_message(
    value: Option<Result<i64, AppError>>,
    field: &'static str,
    locale: Locale,
) -> Option<String> {
    let error = value?.err()?;
    error
        .field_message(field)
        .map(|m| validation_text(locale, m))
}

#[component]
fn EquipmentForm(catalogue: Catalogue, item: Option<EquipmentItem>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveEquipment>::new();
    let pending = save.pending();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/equipment/{id}"), Default::default());
        }
    });
    let general_error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| e.issues().is_empty())
    });
    let invalid = Signal::derive(move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .is_some_and(|e| !e.issues().is_empty())
    });
    let editing = item.is_some();
    let value = |f: fn(&EquipmentItem) -> String| item.as_ref().map(f).unwrap_or_default();
    let v_asset_code = value(|i| i.asset_code.clone());
    let v_name = value(|i| i.name.clone());
    let v_model = value(|i| i.model.clone());
    let v_serial = value(|i| i.serial_number.clone().unwrap_or_default());
    let v_location = value(|i| i.location.clone());
    let v_date = value(|i| i.purchase_date.map(|d| d.to_string()).unwrap_or_default());
    let v_price = value(|i| i.purchase_price_cents.map(format_price).unwrap_or_default());
    let selected_category = item.as_ref().map(|i| i.category_id);
    let selected_department = item.as_ref().map(|i| i.department_id);
    let categories = catalogue.categories.iter().map(|c| {
        view! { <option value=c.id.to_string() selected=selected_category == Some(c.id)>{format!("{} ({})", c.name, c.code)}</option> }
    }).collect_view();
    let departments = catalogue.departments.iter().map(|d| {
        view! { <option value=d.id.to_string() selected=selected_department == Some(d.id)>{Catalogue::indented_department(d)}</option> }
    }).collect_view();
    let title = if editing {
        t_string!(i18n, equipment_edit)
    } else {
        t_string!(i18n, equipment_new)
    };
    let cancel = item
        .as_ref()
        .map_or("/equipment".to_owned(), |i| format!("/equipment/{}", i.id));
    let hidden = item.as_ref().map(|i| {
        view! {
            <input type="hidden" name="id" value=i.id.to_string() />
            <input type="hidden" name="version" value=i.version.to_string() />
        }
    });
    let retire = item
        .filter(|i| i.status != EquipmentStatus::Scrapped)
        .map(|item| view! { <RetirePanel item /> });
    let field = move |name: &'static str| {
        Signal::derive(move || field_message(save.value().get(), name, i18n.get_locale()))
    };
    view! {
        <section class="page-head">
            <h1>{title}</h1>
            <p class="lead">{t!(i18n, equipment_form_lead)}</p>
        </section>
        <section class="panel form-panel">
            <ActionForm action=save attr:class="form-grid" attr:novalidate="">
                {hidden}
                <Field id="asset_code" label=t_string!(i18n, col_asset_code) error=field("asset_code")>
                    <input id="asset_code" name="asset_code" required maxlength="40" autocapitalize="characters"
                        value=v_asset_code aria-describedby="asset_code-hint asset_code-error"
                        aria-invalid=move || field("asset_code").get().is_some().to_string() />
                    <p class="form-hint" id="asset_code-hint">{t!(i18n, asset_code_hint)}</p>
                </Field>
                <Field id="name" label=t_string!(i18n, col_name) error=field("name")>
                    <input id="name" name="name" required maxlength="200" value=v_name
                        aria-describedby="name-error" aria-invalid=move || field("name").get().is_some().to_string() />
                </Field>
                <Field id="model" label=t_string!(i18n, col_model) error=field("model")>
                    <input id="model" name="model" maxlength="200" value=v_model aria-describedby="model-error" />
                </Field>
                <Field id="serial_number" label=t_string!(i18n, col_serial) error=field("serial_number")>
                    <input id="serial_number" name="serial_number" maxlength="100" value=v_serial aria-describedby="serial_number-error" />
                </Field>
                <Field id="category_id" label=t_string!(i18n, col_category) error=field("category_id")>
                    <select id="category_id" name="category_id" required aria-describedby="category_id-error"
                        aria-invalid=move || field("category_id").get().is_some().to_string()>
                        <option value="">{t!(i18n, choose)}</option>
                        {categories}
                    </select>
                </Field>
                <Field id="department_id" label=t_string!(i18n, col_department) error=field("department_id")>
                    <select id="department_id" name="department_id" required aria-describedby="department_id-error"
                        aria-invalid=move || field("department_id").get().is_some().to_string()>
                        <option value="">{t!(i18n, choose)}</option>
                        {departments}
                    </select>
                </Field>
                <Field id="location" label=t_string!(i18n, col_location) error=field("location")>
                    <input id="location" name="location" maxlength="200" value=v_location aria-describedby="location-error" />
                </Field>
                <Field id="purchase_date" label=t_string!(i18n, col_purchase_date) error=field("purchase_date")>
                    <input id="purchase_date" name="purchase_date" type="date" value=v_date
                        aria-describedby="purchase_date-error" aria-invalid=move || field("purchase_date").get().is_some().to_string() />
                </Field>
                <Field id="purchase_price" label=t_string!(i18n, col_purchase_price_yuan) error=field("purchase_price")>
                    <input id="purchase_price" name="purchase_price" inputmode="decimal" placeholder="0.00"
                        value=v_price
                        aria-describedby="purchase_price-error" aria-invalid=move || field("purchase_price").get().is_some().to_string() />
                </Field>
                <div class="form-footer">
                    {move || invalid.get().then(|| view! { <p class="form-error" role="alert">{t!(i18n, form_has_errors)}</p> })}
                    {move || general_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
                    <button type="submit" class="button" disabled=pending>
                        {move || if pending.get() { t_string!(i18n, saving) } else { t_string!(i18n, save) }}
                    </button>
                    <A href=cancel attr:class="button button-small">{t!(i18n, cancel)}</A>
                </div>
            </ActionForm>
        </section>
        {retire}
    }
}

#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="form-field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            {children()}
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn RetirePanel(item: EquipmentItem) -> impl IntoView {
    let i18n = use_i18n();
    let retire = ServerAction::<RetireEquipment>::new();
    let pending = retire.pending();
    let navigate = use_navigate();
    let id = item.id;
    let version = item.version;
    Effect::new(move |_| {
        if let Some(Ok(())) = retire.value().get() {
            navigate(&format!("/equipment/{id}"), Default::default());
        }
    });
    let question = phrase(
        i18n.get_locale_untracked(),
        &Confirmation::RetireEquipment {
            id,
            item: format!("{} {}", item.asset_code, item.name),
            version,
        },
    )
    .0;
    view! {
        <section class="panel danger-zone" aria-labelledby="retire-title">
            <h2 id="retire-title">{t!(i18n, retire_title)}</h2>
            <p class="muted">{t!(i18n, retire_explain)}</p>
            <ConfirmButton
                action=Irreversible::RetireEquipment
                id=id
                back=format!("/equipment/{id}")
                label=td_string!(i18n.get_locale_untracked(), retire_button).to_string()
                question
                class="button button-danger"
                pending
                on_confirm=Callback::new(move |()| {
                    retire.dispatch(RetireEquipment {
                        id,
                        version,
                        confirmed: Some(CONFIRMED.to_owned()),
                        back: None,
                    });
                })
            />
            {move || retire.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p>
            })}
        </section>
    }
}
