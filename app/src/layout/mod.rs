//! The frame around every page: header, navigation, footer.
mod header;
mod hydration_status;
mod language_switch;
mod nav;
mod user_menu;

use leptos::prelude::*;

pub use header::Header;
pub use hydration_status::HydrationStatus;
pub use language_switch::LanguageSwitch;
pub use nav::MainNav;
pub use user_menu::{UserMenu, signed_in_user};

use crate::i18n::*;
use crate::notifications::{Toast, provide_notifications};

#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    provide_notifications();
    view! {
        <div class="app-frame">
            <Header />
            <main class="app-main" id="main">
                {children()}
            </main>
            <footer class="app-footer">
                <span>{t!(i18n, footer_note)}</span>
                <HydrationStatus />
            </footer>
            <Toast />
        </div>
    }
}
