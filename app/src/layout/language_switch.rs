use leptos::prelude::*;

use crate::i18n::*;

/// Switches between 中文 and English.
///
/// It is a real link to `/lang/{locale}` (the server sets the preference cookie
/// and sends the browser back), so it works without JavaScript; once hydrated,
/// a click switches in place without a reload.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::zh => Locale::en,
        Locale::en => Locale::zh,
    };
    let href = move || format!("/lang/{}", other().as_str());
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        i18n.set_locale(other());
    };
    view! {
        <a
            class="lang-switch"
            href=href
            on:click=on_click
            hreflang=move || other().as_str()
            rel="nofollow"
        >
            <span class="lang-switch-icon" aria-hidden="true">"⇄"</span>
            {t!(i18n, switch_to_other_language)}
        </a>
    }
}
