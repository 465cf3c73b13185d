//! `/equipment/{id}`: the item, its current holder, its full history of
//! transactions (newest first, 50 a page) and a printable QR label.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::labels::{StatusBadge, decision_text, kind_label, period_text, request_status_label};
use crate::auth::Role;
use crate::equipment::{EquipmentView, HistoryEntry, equipment_detail, format_price};
use crate::error::AppError;
use crate::i18n::*;
use crate::layout::signed_in_user;
use crate::pages::boxed_fetch;
use crate::requests::{FileRequest, FileRequestForm};

#[component]
pub fn EquipmentDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let source = move || {
        (
            params.read().get("id").and_then(|v| v.parse::<i64>().ok()),
            query
                .read()
                .get("before")
                .and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let file = ServerAction::<FileRequest>::new();
    // A decision on one's own request (or one that took the item from one)
    // announced live shows at once: the holder, the offered requests, the history.
    let decided = crate::notifications::live_count(&[
        "request.approved",
        "request.rejected",
        "equipment.taken",
    ]);
    let data = Resource::new(
        move || (source(), file.version().get(), decided()),
        |((id, before), _, _)| {
            boxed_fetch(async move {
                match id {
                    Some(id) if id > 0 => equipment_detail(id, before).await,
                    _ => Err(AppError::NotFound),
                }
            })
        },
    );
    let user = signed_in_user();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let admin = user().await.is_some_and(|u| u.role >= Role::Admin);
                crate::pages::outcome(data.await.map(|view| view! { <Detail view admin file /> }))
            })}
        </Suspense>
    }
}

#[component]
fn Detail(view: EquipmentView, admin: bool, file: ServerAction<FileRequest>) -> impl IntoView {
    let i18n = use_i18n();
    let item = view.item.clone();
    let edit = format!("/admin/equipment/{}/edit", item.id);
    let dash = || "—".to_owned();
    let print = move |_| {
        let _ = window().print();
    };
    // On a phone (a label just scanned) what one can do comes first, then
    // the facts (main.css orders them).
    view! {
        <div class="detail-page">
        <nav class="breadcrumb" aria-label=move || td_string!(i18n.get_locale(), breadcrumb_label)>
            <A href="/equipment">{t!(i18n, equipment_title)}</A>
            <span aria-hidden="true">" / "</span>
            <span>{item.asset_code.clone()}</span>
        </nav>
        <section class="page-head detail-head">
            <div>
                <h1>{item.name.clone()}</h1>
                <p class="lead"><code class="asset-code">{item.asset_code.clone()}</code>" "<StatusBadge status=item.status /></p>
            </div>
            <Show when=move || admin>
                <A href=edit.clone() attr:class="button">{t!(i18n, equipment_edit)}</A>
            </Show>
        </section>
        <div class="detail-grid">
            <section class="panel" aria-labelledby="facts-title">
                <h2 id="facts-title">{t!(i18n, equipment_facts)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, col_model)}</dt><dd>{Some(item.model.clone()).filter(|m| !m.is_empty()).unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, col_serial)}</dt><dd>{item.serial_number.clone().unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, col_category)}</dt><dd>{view.category_name.clone()}</dd>
                    <dt>{t!(i18n, col_department)}</dt><dd>{view.department_name.clone()}</dd>
                    <dt>{t!(i18n, col_location)}</dt><dd>{Some(item.location.clone()).filter(|m| !m.is_empty()).unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, col_holder)}</dt>
                    <dd data-testid="holder">{item.holder_name.clone().unwrap_or_else(|| td_string!(i18n.get_locale_untracked(), nobody).to_owned())}</dd>
                    <dt>{t!(i18n, col_purchase_date)}</dt><dd>{item.purchase_date.map(|d| d.to_string()).unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, col_purchase_price)}</dt><dd>{item.purchase_price_cents.map(|c| format!("¥{}", format_price(c))).unwrap_or_else(dash)}</dd>
                    <dt>{t!(i18n, col_added)}</dt><dd>{crate::clock::use_org_clock().minute(item.created_at)}</dd>
                    <dt>{t!(i18n, col_updated)}</dt><dd>{crate::clock::use_org_clock().minute(item.updated_at)}</dd>
                </dl>
            </section>
            <section class="panel label-panel" aria-labelledby="label-title">
                <h2 id="label-title">{t!(i18n, qr_label_title)}</h2>
                <figure class="qr-label" data-testid="qr-label">
                    <img class="qr-code" src=view.label_src.clone() width="160" height="160" alt=move || td_string!(i18n.get_locale(), qr_alt) />
                    <figcaption>
                        <strong>{item.asset_code.clone()}</strong>
                        <span>{item.name.clone()}</span>
                        <span class="qr-url">{view.url.clone()}</span>
                    </figcaption>
                </figure>
                <button type="button" class="button button-small no-print" on:click=print>{t!(i18n, qr_print)}</button>
            </section>
        </div>
        <section class="panel file-request no-print" aria-labelledby="file-request-title">
            <h2 id="file-request-title">{t!(i18n, request_file_title)}</h2>
            <FileRequestForm equipment_id=Some(item.id) offered=view.offered.clone() action=file />
        </section>
        <History entries=view.history.clone() next=view.history_next id=item.id />
        </div>
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>, next: Option<i64>, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let body =
        if entries.is_empty() {
            view! { <p class="empty">{t!(i18n, history_empty)}</p> }.into_any()
        } else {
            let rows = entries.into_iter().map(|e| {
            let period = period_text(e.period_start, e.period_end);
            let decision = decision_text(e.approver_name.as_deref(), e.decision_comment.as_deref());
            view! {
                <tr>
                    <td class="nowrap">{crate::clock::use_org_clock().minute(e.created_at)}</td>
                    <td>{kind_label(locale, &e.kind)}</td>
                    <td>{e.applicant_name.clone()}</td>
                    <td>{e.reason.clone()}<span class="muted row-model">{period}</span></td>
                    <td>{request_status_label(locale, &e.status)}</td>
                    <td>{decision}</td>
                </tr>
            }
        }).collect_view();
            view! {
                <div class="table-wrap">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, col_filed)}</th>
                                <th scope="col">{t!(i18n, col_kind)}</th>
                                <th scope="col">{t!(i18n, col_applicant)}</th>
                                <th scope="col">{t!(i18n, col_reason)}</th>
                                <th scope="col">{t!(i18n, col_status)}</th>
                                <th scope="col">{t!(i18n, col_decision)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
    view! {
        <section class="panel history" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, history_title)}</h2>
            {body}
            {next.map(|before| view! {
                <A href=format!("/equipment/{id}?before={before}") attr:class="button button-small">{t!(i18n, history_older)}</A>
            })}
        </section>
    }
}
