use leptos::prelude::*;

use crate::i18n::*;

/// Shown, with HTTP status 403, when the signed-in user's role does not
/// reach the page they opened.
#[component]
pub fn ForbiddenPanel() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FORBIDDEN);
    }
    let i18n = use_i18n();
    view! {
        <section class="status-page" aria-labelledby="status-title">
            <p class="status-code" aria-hidden="true">"403"</p>
            <h1 id="status-title">{t!(i18n, forbidden_title)}</h1>
            <p>{t!(i18n, forbidden_body)}</p>
            <a class="button" href="/">{t!(i18n, back_home)}</a>
        </section>
    }
}
