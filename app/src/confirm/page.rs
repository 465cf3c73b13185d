//! `/confirm/{action}/{id}?back=…`: the question an irreversible action asks
//! first, as a page (for browsers without JavaScript, and for links opened in
//! a new tab). Its form posts to the action's server function, confirmed.
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{CONFIRMED, Confirmation, confirmation_subject};
use crate::equipment::kind_label;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{ErrorShown, boxed_fetch};

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let subject = Resource::new(
        move || {
            (
                params.read().get("action"),
                params.read().get("id").and_then(|v| v.parse::<i64>().ok()),
            )
        },
        |(action, id)| {
            boxed_fetch(async move {
                match (action, id) {
                    (Some(action), Some(id)) => confirmation_subject(action, id).await,
                    _ => Err(AppError::NotFound),
                }
            })
        },
    );
    let back = move || {
        query
            .read()
            .get("back")
            .filter(|b| crate::auth::is_local_path(b))
            .unwrap_or_else(|| "/".to_owned())
    };
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match subject.await {
                    Ok(confirmation) => view! { <Question confirmation back=back() /> }.into_any(),
                    Err(error) => view! { <ErrorShown error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Question(confirmation: Confirmation, back: String) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let i18n = use_i18n();
    let (question, button) = phrase(i18n.get_locale_untracked(), &confirmation);
    // The action's own server function, posted as a plain form.
    let (path, fields): (&str, Vec<(&str, String)>) = match &confirmation {
        Confirmation::CancelRequest { id, .. } => (
            <crate::requests::CancelRequest as ServerFn>::PATH,
            vec![("id", id.to_string())],
        ),
        Confirmation::RetireEquipment { id, version, .. } => (
            <crate::equipment::RetireEquipment as ServerFn>::PATH,
            vec![("id", id.to_string()), ("version", version.to_string())],
        ),
        Confirmation::DisablePerson { id, .. } => (
            <crate::people::SetPersonActive as ServerFn>::PATH,
            vec![("user_id", id.to_string()), ("active", "false".to_owned())],
        ),
        Confirmation::ResetPassword { id, .. } => (
            <crate::people::ResetPersonPassword as ServerFn>::PATH,
            vec![("user_id", id.to_string())],
        ),
    };
    view! {
        <section class="panel confirm-page" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{question}</h1>
            <p class="muted">{t!(i18n, confirm_cannot_undo)}</p>
            <form method="post" action=path class="confirm-buttons">
                {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
                <input type="hidden" name="confirmed" value=CONFIRMED />
                <input type="hidden" name="back" value=back.clone() />
                <a class="button" href=back>{t!(i18n, confirm_keep)}</a>
                <button type="submit" class="button button-danger">{button}</button>
            </form>
        </section>
    }
}

/// The question and the confirming button's text, in the reader's language.
pub fn phrase(locale: Locale, confirmation: &Confirmation) -> (String, String) {
    match confirmation {
        Confirmation::CancelRequest { kind, item, .. } => (
            td_string!(
                locale,
                confirm_cancel_request,
                kind = kind_label(locale, kind.as_str()),
                item = item.clone()
            )
            .to_string(),
            td_string!(locale, request_cancel).to_string(),
        ),
        Confirmation::RetireEquipment { item, .. } => (
            td_string!(locale, confirm_retire, item = item.clone()).to_string(),
            td_string!(locale, retire_button).to_string(),
        ),
        Confirmation::DisablePerson { name, username, .. } => (
            td_string!(
                locale,
                confirm_disable,
                name = name.clone(),
                username = username.clone()
            )
            .to_string(),
            td_string!(locale, people_disable).to_string(),
        ),
        Confirmation::ResetPassword { name, username, .. } => (
            td_string!(
                locale,
                confirm_reset,
                name = name.clone(),
                username = username.clone()
            )
            .to_string(),
            td_string!(locale, people_reset_password).to_string(),
        ),
    }
}
