//! `/requests`: the user's own requests, newest first, filterable by status
//! and kind (kept in the address), with "cancel" on pending ones.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::confirm::{CONFIRMED, ConfirmButton, Confirmation, Irreversible, phrase};
use crate::equipment::{decision_text, kind_label, period_text, request_status_label};
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text, filtered_href};
use crate::requests::{CancelRequest, RequestKind, RequestPage, RequestStatus, my_requests};

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let cancel = ServerAction::<CancelRequest>::new();
    // A decision announced live (the toast) shows in its row at once.
    let decided = crate::notifications::live_count(&["request.approved", "request.rejected"]);
    let page = Resource::new(
        move || {
            (
                get("status"),
                get("kind"),
                get("page").and_then(|p| p.parse::<u32>().ok()),
                cancel.version().get(),
                decided(),
            )
        },
        |(status, kind, page, _, _)| boxed_fetch(my_requests(status, kind, page)),
    );
    let locale = i18n.get_locale_untracked();
    let status_options = RequestStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || get("status").as_deref() == Some(s.as_str())>{request_status_label(locale, s.as_str())}</option> })
        .collect_view();
    let kind_options = RequestKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=move || get("kind").as_deref() == Some(k.as_str())>{kind_label(locale, k.as_str())}</option> })
        .collect_view();
    view! {
        <section class="page-head page-head-actions">
            <div>
                <h1>{t!(i18n, requests_title)}</h1>
                <p class="lead">{t!(i18n, requests_lead)}</p>
            </div>
            <A href="/requests/new" attr:class="button">{t!(i18n, request_new)}</A>
        </section>
        <form method="get" class="filter-bar filter-bar-compact" role="search">
            <div class="filter-field">
                <label for="requests-status">{t!(i18n, col_status)}</label>
                <select id="requests-status" name="status">
                    <option value="">{t!(i18n, filter_all)}</option>
                    {status_options}
                </select>
            </div>
            <div class="filter-field">
                <label for="requests-kind">{t!(i18n, col_kind)}</label>
                <select id="requests-kind" name="kind">
                    <option value="">{t!(i18n, filter_all)}</option>
                    {kind_options}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button button-small">{t!(i18n, filter_apply)}</button>
            </div>
        </form>
        {move || cancel.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p>
        })}
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(page.await.map(|page| view! { <RequestsTable page cancel /> }))
            })}
        </Suspense>
    }
}

#[component]
fn RequestsTable(page: RequestPage, cancel: ServerAction<CancelRequest>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if page.items.is_empty() {
        return view! { <p class="empty">{t!(i18n, requests_empty)}</p> }.into_any();
    }
    let query = use_query_map();
    let page_href = move |n: u32| {
        let q = query.read_untracked();
        filtered_href(
            "/requests",
            &q,
            &["status", "kind"],
            Some(("page", n.to_string())),
        )
    };
    let prev = (page.page > 1).then(|| page_href(page.page - 1));
    let next = page.has_more.then(|| page_href(page.page + 1));
    // Without JavaScript, "withdraw" asks on a page of its own and comes back here.
    let back = crate::pages::current_address();
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            let pending = r.status == RequestStatus::Pending;
            let period = period_text(r.period_start, r.period_end);
            let decision = decision_text(r.approver_name.as_deref(), r.decision_comment.as_deref());
            let undecided = decision.is_empty();
            let id = r.id;
            let question = phrase(
                locale,
                &Confirmation::CancelRequest {
                    id,
                    kind: r.kind,
                    item: format!("{} {}", r.asset_code, r.equipment_name),
                },
            )
            .0;
            let back = back.clone();
            view! {
                <tr data-testid="request-row">
                    <td class="nowrap" data-label=td_string!(locale, col_filed)>{crate::clock::use_org_clock().minute(r.created_at)}</td>
                    <td data-label=td_string!(locale, col_item)><A href=format!("/equipment/{}", r.equipment_id)><code class="asset-code">{r.asset_code.clone()}</code></A>" "{r.equipment_name.clone()}</td>
                    <td class="nowrap" data-label=td_string!(locale, col_kind)>{kind_label(locale, r.kind.as_str())}</td>
                    <td data-label=td_string!(locale, col_reason)>{r.reason.clone()}<span class="muted row-model">{period}</span></td>
                    <td data-label=td_string!(locale, col_status)><span class=format!("badge request-{}", r.status.as_str())>{request_status_label(locale, r.status.as_str())}</span></td>
                    <td class:blank=undecided data-label=td_string!(locale, col_decision)>{decision}</td>
                    <td class="actions">
                        <Show when=move || pending>
                            <ConfirmButton
                                action=Irreversible::CancelRequest
                                id=id
                                back=back.clone()
                                label=td_string!(locale, request_cancel).to_string()
                                question=question.clone()
                                pending=cancel.pending()
                                on_confirm=Callback::new(move |()| {
                                    cancel.dispatch(CancelRequest {
                                        id,
                                        confirmed: Some(CONFIRMED.to_owned()),
                                        back: None,
                                    });
                                })
                            />
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table cards">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_filed)}</th>
                        <th scope="col">{t!(i18n, col_item)}</th>
                        <th scope="col">{t!(i18n, col_kind)}</th>
                        <th scope="col">{t!(i18n, col_reason)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_decision)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, people_col_actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || td_string!(i18n.get_locale(), pager_label)>
            {prev.map(|href| view! { <A href=href attr:class="button button-small">{t!(i18n, page_previous)}</A> })}
            {next.map(|href| view! { <A href=href attr:class="button button-small">{t!(i18n, page_next)}</A> })}
        </nav>
    }
    .into_any()
}
