use leptos::prelude::*;

use super::user_menu::signed_in_user;
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
                <SignedInBell />
                <UserMenu />
            </div>
        </header>
    }
}

/// The bell, for a signed-in user only (the login page has none).
#[component]
fn SignedInBell() -> impl IntoView {
    let user = signed_in_user();
    view! {
        <Suspense>
            {move || Suspend::new(async move { user().await.map(|_| view! { <Bell /> }) })}
        </Suspense>
    }
}
