use leptos::prelude::*;

use super::{LanguageSwitch, MainNav, UserMenu};
use crate::i18n::*;
use crate::notifications::Bell;

/// Brand, main navigation, the language switch, the bell and the user.
///
/// On a phone the header is one row: brand, bell and a menu button that opens
/// everything else (a `<details>`, so it works without JavaScript too); the
/// desktop navigation is hidden there, the menu elsewhere.
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
            <div class="desktop-only main-nav-slot">
                <MainNav />
            </div>
            <div class="header-tools">
                <span class="desktop-only"><LanguageSwitch /></span>
                <Bell />
                <span class="desktop-only"><UserMenu /></span>
                <PhoneMenu />
            </div>
        </header>
    }
}

#[component]
fn PhoneMenu() -> impl IntoView {
    let i18n = use_i18n();
    let menu = NodeRef::<leptos::html::Details>::new();
    // Following a link closes the menu (the page behind it changes).
    let close = move |ev: leptos::ev::MouseEvent| {
        let followed_link = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| el.closest("a").ok().flatten().is_some());
        if followed_link && let Some(details) = menu.get() {
            let _ = details.remove_attribute("open");
        }
    };
    view! {
        <details class="phone-menu phone-only" node_ref=menu>
            <summary class="button button-small">
                <span aria-hidden="true">"☰ "</span>{t!(i18n, nav_menu)}
            </summary>
            <div class="phone-menu-panel" on:click=close>
                <MainNav unfolded=true />
                <div class="phone-menu-tools">
                    <LanguageSwitch />
                    <UserMenu />
                </div>
            </div>
        </details>
    }
}
