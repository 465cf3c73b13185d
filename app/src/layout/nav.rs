use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

/// Links to the two consoles. `A` marks the current page with `aria-current`.
#[component]
pub fn MainNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_main)>
            <A href="/" exact=true>{t!(i18n, nav_home)}</A>
            <A href="/console">{t!(i18n, nav_user_console)}</A>
            <A href="/leader">{t!(i18n, nav_leader_console)}</A>
        </nav>
    }
}
