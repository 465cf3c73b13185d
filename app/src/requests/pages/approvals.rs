//! `/leader/approvals`: the pending requests a leader may decide (admins: all),
//! oldest first, with the item, the applicant and the item's recent history
//! at hand. Approve or reject one by one (each row is a form, so this works
//! without JavaScript) or several at once. New submissions appear live.
use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::equipment::{equipment_detail, kind_label, period_text, request_status_label};
use crate::error::AppError;
use crate::i18n::*;
use crate::notifications::use_live_feed;
use crate::pages::{boxed_fetch, error_text};
use crate::requests::{DecideRequest, DecideRequests, RequestRow, pending_approvals};

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideRequest>::new();
    let bulk = ServerAction::<DecideRequests>::new();
    // Refetch whenever a request is submitted or cancelled (live), or decided here.
    let live = use_live_feed();
    let arrivals = move || {
        live.map_or(0, |feed| {
            feed.0.with(|all| {
                all.iter()
                    .filter(|n| n.kind == "request.submitted" || n.kind == "request.cancelled")
                    .count()
            })
        })
    };
    let queue = Resource::new(
        move || (decide.version().get(), bulk.version().get(), arrivals()),
        |_| boxed_fetch(pending_approvals()),
    );
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    // What each request on screen is, to name it in a bulk decision's report.
    let shown = RwSignal::new(std::collections::HashMap::<i64, String>::new());
    let bulk_comment = RwSignal::new(String::new());
    let run_bulk = move |decision: &'static str| {
        let ids: Vec<i64> = selected.get_untracked().into_iter().collect();
        bulk.dispatch(DecideRequests {
            ids,
            decision: decision.to_owned(),
            comment: Some(bulk_comment.get_untracked()),
        });
        selected.set(BTreeSet::new());
    };
    let bulk_report = move || {
        bulk.value().get().map(|result| match result {
            Ok(outcomes) => {
                let failed: Vec<String> = outcomes
                    .iter()
                    .filter_map(|o| {
                        let error = o.error.as_ref()?;
                        let what = shown.with_untracked(|s| s.get(&o.id).cloned()).unwrap_or_default();
                        Some(format!("{what}: {}", error_text(i18n.get_locale(), error)))
                    })
                    .collect();
                let done = outcomes.len() - failed.len();
                view! {
                    <div class="notice" role="status">
                        <p>{td_string!(i18n.get_locale(), approvals_bulk_done, count = done)}</p>
                        {failed.into_iter().map(|f| view! { <p class="form-error">{f}</p> }).collect_view()}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> }.into_any(),
        })
    };
    view! {
        <section class="page-head">
            <h1>{t!(i18n, approvals_title)}</h1>
            <p class="lead">{t!(i18n, approvals_lead)}</p>
        </section>
        {move || decide.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error" role="alert" data-testid="decision-error">{error_text(i18n.get_locale(), &e)}</p>
        })}
        {bulk_report}
        <div class="bulk-bar" class:hidden=move || selected.with(BTreeSet::is_empty)>
            <span>{move || td_string!(i18n.get_locale(), approvals_selected, count = selected.with(BTreeSet::len))}</span>
            <label class="visually-hidden" for="bulk-comment">{t!(i18n, approvals_comment)}</label>
            <input id="bulk-comment" placeholder=move || td_string!(i18n.get_locale(), approvals_comment)
                prop:value=bulk_comment on:input=move |ev| bulk_comment.set(event_target_value(&ev)) />
            <button type="button" class="button button-approve" on:click=move |_| run_bulk("approve") disabled=move || bulk.pending().get()>{t!(i18n, approvals_approve_selected)}</button>
            <button type="button" class="button button-reject" on:click=move |_| run_bulk("reject") disabled=move || bulk.pending().get()>{t!(i18n, approvals_reject_selected)}</button>
        </div>
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(queue.await.map(|rows| view! { <Queue rows decide selected shown /> }))
            })}
        </Transition>
    }
}

#[component]
fn Queue(
    rows: Vec<RequestRow>,
    decide: ServerAction<DecideRequest>,
    selected: RwSignal<BTreeSet<i64>>,
    shown: RwSignal<std::collections::HashMap<i64, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A selection only ever holds requests still on screen: one decided
    // meanwhile (here, elsewhere, or withdrawn) drops out of it.
    let on_screen: std::collections::HashMap<i64, String> = rows
        .iter()
        .map(|r| {
            (
                r.id,
                format!(
                    "{} {} ({})",
                    r.asset_code, r.equipment_name, r.applicant_name
                ),
            )
        })
        .collect();
    if selected.with_untracked(|s| s.iter().any(|id| !on_screen.contains_key(id))) {
        selected.update(|s| s.retain(|id| on_screen.contains_key(id)));
    }
    shown.update_untracked(|names| *names = on_screen);
    if rows.is_empty() {
        return view! { <p class="empty" data-testid="approvals-empty">{t!(i18n, approvals_empty)}</p> }.into_any();
    }
    let count = rows.len();
    view! {
        <p class="result-summary">{td_string!(i18n.get_locale_untracked(), approvals_count, count = count)}</p>
        <ul class="approvals" data-testid="approvals">
            {rows.into_iter().map(|row| view! { <Approval row decide selected /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Approval(
    row: RequestRow,
    decide: ServerAction<DecideRequest>,
    selected: RwSignal<BTreeSet<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = row.id;
    let period = period_text(row.period_start, row.period_end);
    let checkbox_id = format!("select-{id}");
    let comment_id = format!("comment-{id}");
    let waited = crate::clock::use_org_clock().minute(row.created_at);
    view! {
        <li class="approval" data-testid="approval" data-request-id=id.to_string()>
            <div class="approval-select">
                <input type="checkbox" id=checkbox_id.clone()
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    } />
                <label class="visually-hidden" for=checkbox_id>
                    {td_string!(locale, approvals_select_one, applicant = row.applicant_name.clone(), item = format!("{} {}", row.asset_code, row.equipment_name))}
                </label>
            </div>
            <div class="approval-body">
                <p class="approval-title">
                    <span class="badge badge-busy">{kind_label(locale, row.kind.as_str())}</span>" "
                    <A href=format!("/equipment/{}", row.equipment_id)><code class="asset-code">{row.asset_code.clone()}</code>" "{row.equipment_name.clone()}</A>
                </p>
                <p class="approval-meta">
                    // Separators sit outside the unbreakable parts so a phone wraps between them.
                    <span data-testid="applicant">{row.applicant_name.clone()}</span>" "
                    <span class="muted">"· "{td_string!(locale, approvals_filed_at, time = waited)}</span>" "
                    {(!period.is_empty()).then(|| view! { <span class="muted">"· "{td_string!(locale, approvals_period, period = period.clone())}</span> })}
                </p>
                <p class="approval-reason">{row.reason.clone()}</p>
                <ItemHistory equipment_id=row.equipment_id request_id=id />
            </div>
            <ActionForm action=decide attr:class="approval-decide">
                <input type="hidden" name="id" value=id.to_string() />
                <label class="visually-hidden" for=comment_id.clone()>{t!(i18n, approvals_comment)}</label>
                <input id=comment_id name="comment" maxlength="2000" placeholder=move || td_string!(i18n.get_locale(), approvals_comment) />
                <div class="approval-buttons">
                    <button type="submit" name="decision" value="approve" class="button button-approve" disabled=move || decide.pending().get()>{t!(i18n, approvals_approve)}</button>
                    <button type="submit" name="decision" value="reject" class="button button-reject" disabled=move || decide.pending().get()>{t!(i18n, approvals_reject)}</button>
                </div>
            </ActionForm>
        </li>
    }
}

/// The item's recent transactions, fetched when the leader opens them.
#[component]
fn ItemHistory(equipment_id: i64, request_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let history = LocalResource::new(move || async move {
        if open.get() {
            equipment_detail(equipment_id, None).await.map(Some)
        } else {
            Ok::<_, AppError>(None)
        }
    });
    view! {
        <details class="approval-history" on:toggle=move |_| open.set(true)>
            <summary>
                {t!(i18n, approvals_history)}" · "
                <A href=format!("/equipment/{equipment_id}")>{t!(i18n, approvals_history_page)}</A>
            </summary>
            <Show when=move || open.get()>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let locale = i18n.get_locale_untracked();
                    match history.await {
                        Ok(Some(view)) => {
                            let entries: Vec<_> = view.history.into_iter().filter(|e| e.id != request_id).take(5).collect();
                            if entries.is_empty() {
                                view! { <p class="muted">{t!(i18n, history_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="mini-history">
                                        {entries.into_iter().map(|e| view! {
                                            <li>
                                                <span class="muted">{crate::clock::use_org_clock().day(e.created_at).to_string()}</span>" "
                                                {kind_label(locale, &e.kind)}" · "{e.applicant_name.clone()}" · "
                                                {request_status_label(locale, &e.status)}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                        }
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p class="form-error">{error_text(locale, &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            </Show>
        </details>
    }
}
