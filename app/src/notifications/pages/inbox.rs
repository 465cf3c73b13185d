//! `/notifications`: the inbox, newest first; mark one or all read. Works
//! without JavaScript (each button is a form); with it, live arrivals appear
//! at the top without a reload.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::bell::use_unread_count;
use super::live::use_live_feed;
use super::text::notification_text;
use crate::i18n::*;
use crate::notifications::{Inbox, MarkRead, Notification, load_inbox, unread_badge};
use crate::pages::{boxed_fetch, error_text};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let mark = ServerAction::<MarkRead>::new();
    let inbox = Resource::new(
        move || (before(), mark.version().get()),
        |(before, _)| boxed_fetch(load_inbox(before)),
    );
    // The bell follows what this page marks read.
    Effect::new(move |_| {
        if let (Some(Ok(unread)), Some(count)) = (mark.value().get(), use_unread_count()) {
            count.0.set(unread);
        }
    });
    view! {
        <section class="page-head">
            <h1>{t!(i18n, inbox_title)}</h1>
            <p class="lead">{t!(i18n, inbox_lead)}</p>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(inbox.await.map(|inbox| view! { <InboxList inbox mark /> }))
            })}
        </Suspense>
        {move || mark.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p>
        })}
    }
}

#[component]
fn InboxList(inbox: Inbox, mark: ServerAction<MarkRead>) -> impl IntoView {
    let i18n = use_i18n();
    let newest = inbox.items.first().map_or(0, |n| n.id);
    let live = use_live_feed();
    // Live arrivals newer than this page, newest first.
    let arrived = move || {
        live.map(|feed| {
            feed.0.with(|all| {
                all.iter()
                    .filter(|n| n.id > newest)
                    .rev()
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
        .unwrap_or_default()
    };
    let unread = inbox.unread;
    if inbox.items.is_empty() && unread == 0 {
        return view! {
            <For each=arrived key=|n| n.id let:n>
                <InboxItem n mark />
            </For>
            <p class="empty">{t!(i18n, inbox_empty)}</p>
        }
        .into_any();
    }
    let next = inbox.next;
    view! {
        <div class="inbox-tools">
            <span class="muted" data-testid="inbox-unread">{td_string!(i18n.get_locale_untracked(), inbox_unread, count = unread_badge(unread))}</span>
            <ActionForm action=mark attr:class="inline-form">
                <button type="submit" class="button button-small" disabled=move || mark.pending().get()>{t!(i18n, inbox_mark_all)}</button>
            </ActionForm>
        </div>
        <ul class="inbox" data-testid="inbox">
            <For each=arrived key=|n| n.id let:n>
                <InboxItem n mark />
            </For>
            {inbox.items.into_iter().map(|n| view! { <InboxItem n mark /> }).collect_view()}
        </ul>
        {next.map(|before| view! {
            <A href=format!("/notifications?before={before}") attr:class="button button-small">{t!(i18n, inbox_older)}</A>
        })}
    }
    .into_any()
}

#[component]
fn InboxItem(n: Notification, mark: ServerAction<MarkRead>) -> impl IntoView {
    let i18n = use_i18n();
    let text = notification_text(i18n.get_locale_untracked(), &n);
    let when = crate::clock::use_org_clock().minute(n.created_at);
    let link = format!("/equipment/{}", n.about.equipment_id);
    let unread = !n.read;
    view! {
        <li class="inbox-item" class:unread=unread>
            <div class="inbox-text">
                <A href=link>{text}</A>
                <span class="muted inbox-when">{when}</span>
            </div>
            <Show when=move || unread>
                <ActionForm action=mark attr:class="inline-form">
                    <input type="hidden" name="id" value=n.id.to_string() />
                    <button type="submit" class="button button-small" disabled=move || mark.pending().get()>{t!(i18n, inbox_mark_read)}</button>
                </ActionForm>
            </Show>
        </li>
    }
}
