use leptos::prelude::*;

use super::{LanguageSwitch, MainNav, UserMenu};
use crate::i18n::*;
use crate::notifications::Bell;

/// Brand, main navigation and the language switch.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"设"</span>
                <span class="brand-text">
                    <span class="brand-name">{t!(i18n, brand)}</span>
                    <span class="brand-tagline">{t!(i18n, brand_tagline)}</span>
                </span>
            </a>
            <MainNav />
            <div class="header-tools">
                <LanguageSwitch />
                <Bell />
                <UserMenu />
            </div>
        </header>
    }
}
