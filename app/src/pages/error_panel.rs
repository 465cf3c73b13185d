use leptos::prelude::*;

use crate::i18n::*;

/// What the error boundary shows when part of a page fails: a friendly message,
/// the (already sanitised) reasons, and a way to retry.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    let i18n = use_i18n();
    // A session that ended (or a password to change) sends the browser on.
    for (_, error) in errors.get_untracked() {
        if let Some(error) = error.downcast_ref::<crate::error::AppError>() {
            super::signed_out::follow(error);
        }
    }
    let reasons = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| view! { <li>{error.to_string()}</li> })
            .collect_view()
    };
    view! {
        <section class="status-page status-error" role="alert">
            <p class="status-code" aria-hidden="true">"!"</p>
            <h1>{t!(i18n, error_title)}</h1>
            <p>{t!(i18n, error_body)}</p>
            <ul class="error-reasons">{reasons}</ul>
            <a class="button" href="">{t!(i18n, retry)}</a>
        </section>
    }
}
