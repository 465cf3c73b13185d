use leptos::prelude::*;
use leptos_router::components::A;

use super::user_menu::signed_in_user;
use crate::auth::Role;
use crate::i18n::*;

/// Links to the pages the signed-in user may open. `A` marks the current page
/// with `aria-current`. Hiding links is only courtesy: the server decides.
#[component]
pub fn MainNav() -> impl IntoView {
    let i18n = use_i18n();
    let user = signed_in_user();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user().await.map(|user| {
                    let leader = user.role >= Role::Leader;
                    let admin = user.role >= Role::Admin;
                    view! {
                        <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_main)>
                            <A href="/" exact=true>{t!(i18n, nav_home)}</A>
                            <A href="/console">{t!(i18n, nav_user_console)}</A>
                            <A href="/equipment">{t!(i18n, nav_equipment)}</A>
                            <A href="/requests">{t!(i18n, nav_requests)}</A>
                            <A href=if leader { "/leader/statistics" } else { "/statistics" }>{t!(i18n, nav_statistics)}</A>
                            <Show when=move || leader>
                                <A href="/leader" exact=true>{t!(i18n, nav_leader_console)}</A>
                                <A href="/leader/approvals">{t!(i18n, nav_approvals)}</A>
                                <A href="/leader/people">{t!(i18n, nav_people)}</A>
                                <A href=if admin { "/admin/audit" } else { "/leader/audit" }>{t!(i18n, nav_audit)}</A>
                            </Show>
                            <Show when=move || admin>
                                <A href="/admin/catalogue">{t!(i18n, nav_catalogue)}</A>
                                <A href="/admin/equipment/import">{t!(i18n, nav_import)}</A>
                                <A href="/admin/dead-letters">{t!(i18n, nav_dead_letters)}</A>
                            </Show>
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}
