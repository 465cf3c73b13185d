//! `/admin/dead-letters`: how many events the consumer gave up on, the latest
//! of them with the broker's x-death and our last error, and "re-queue".
use leptos::prelude::*;

use super::model::DeadLetters;
use super::{RequeueDeadLetter, list_dead_letters};
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text};

#[component]
pub fn DeadLettersPage() -> impl IntoView {
    let i18n = use_i18n();
    let requeue = ServerAction::<RequeueDeadLetter>::new();
    let letters = Resource::new(
        move || requeue.version().get(),
        |_| boxed_fetch(list_dead_letters()),
    );
    view! {
        <section class="page-head">
            <h1>{t!(i18n, dead_letters_title)}</h1>
            <p class="lead">{t!(i18n, dead_letters_lead)}</p>
        </section>
        {move || requeue.value().get().map(|result| match result {
            Ok(()) => view! { <p class="notice" role="status">{t!(i18n, dead_letters_requeued)}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> }.into_any(),
        })}
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                crate::pages::outcome(letters.await.map(|letters| view! { <Letters letters requeue /> }))
            })}
        </Suspense>
    }
}

#[component]
fn Letters(letters: DeadLetters, requeue: ServerAction<RequeueDeadLetter>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if letters.count == 0 {
        return view! { <p class="empty" data-testid="dead-letters-empty">{t!(i18n, dead_letters_empty)}</p> }.into_any();
    }
    let rows = letters
        .messages
        .into_iter()
        .map(|m| {
            let id = m.message_id.clone().unwrap_or_default();
            let death = format!("{} · {} · ×{}", m.reason, m.queue, m.deaths);
            view! {
                <tr>
                    <td><code>{m.routing_key.clone()}</code><span class="muted row-model">{id.clone()}</span></td>
                    <td>{death}</td>
                    <td>{m.error.clone().unwrap_or_else(|| "—".to_owned())}</td>
                    <td><code class="payload">{m.body.clone()}</code></td>
                    <td class="actions">
                        <ActionForm action=requeue attr:class="inline-form">
                            <input type="hidden" name="message_id" value=id />
                            <button type="submit" class="button button-small" disabled=move || requeue.pending().get()>{t!(i18n, dead_letters_requeue)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="result-summary" data-testid="dead-letter-count">{td_string!(locale, dead_letters_count, count = letters.count)}</p>
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, dead_letters_event)}</th>
                        <th scope="col">{t!(i18n, dead_letters_death)}</th>
                        <th scope="col">{t!(i18n, dead_letters_error)}</th>
                        <th scope="col">{t!(i18n, dead_letters_body)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, people_col_actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
