use leptos::prelude::*;

use super::{NotFoundPage, error_text};
use crate::error::AppError;
use crate::i18n::*;

/// What the error boundary shows when part of a page fails: the 404 page for
/// something that does not exist, else a friendly message, the reasons in the
/// reader's language, and a way to retry. The HTTP status is the error's own
/// (a missing item is a 404, a bad address a 4xx), never a blanket 500.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let known: Vec<AppError> = errors.with_untracked(|errors| {
        errors
            .iter()
            .filter_map(|(_, error)| error.downcast_ref::<AppError>().cloned())
            .collect()
    });
    // A session that ended (or a password to change) sends the browser on.
    known.iter().for_each(super::signed_out::follow);
    let first = known.into_iter().next();
    if first == Some(AppError::NotFound) {
        return view! { <NotFoundPage /> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let status = first.as_ref().map_or(500, AppError::status_code);
        response.set_status(
            axum::http::StatusCode::from_u16(status)
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let i18n = use_i18n();
    let reasons = move || {
        let locale = i18n.get_locale();
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                let text = error
                    .downcast_ref::<AppError>()
                    .map_or_else(|| error.to_string(), |e| error_text(locale, e));
                view! { <li>{text}</li> }
            })
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
    .into_any()
}

/// One error shown where it happened: the 404 page for something missing,
/// else the panel with its reason.
#[component]
pub fn ErrorShown(error: AppError) -> impl IntoView {
    let errors = ArcRwSignal::new(Errors::default());
    errors.update(|e| e.insert_with_default_key(error));
    view! { <ErrorPanel errors /> }
}

/// A page's data as it came: its view, or its error shown in its place.
///
/// Pages render their own errors rather than throw them to the error
/// boundary: when many pages render at once, Leptos's boundary can decide
/// before a `Suspense` under it reports its error (the page then went out
/// empty with status 200, the error only in the hydration data). Rendered
/// here, the error is part of the page's own output and sets its status.
pub fn outcome<V: IntoView + 'static>(result: Result<V, AppError>) -> AnyView {
    match result {
        Ok(view) => view.into_any(),
        Err(error) => view! { <ErrorShown error /> }.into_any(),
    }
}
