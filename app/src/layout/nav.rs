use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::user_menu::signed_in_user;
use crate::auth::Role;
use crate::i18n::*;

/// Links to the pages the signed-in user may open (the brand links home):
/// everyone's first, then a
/// leader's and an admin's pages each folded into a menu, so the header stays
/// one line on a laptop. `A` marks the current page with `aria-current`.
/// Hiding links is only courtesy: the server decides.
///
/// `unfolded`: the phone menu's copy, where the groups stand open under
/// their names instead of folding.
#[component]
pub fn MainNav(#[prop(optional)] unfolded: bool) -> impl IntoView {
    let i18n = use_i18n();
    let user = signed_in_user();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user().await.map(|user| {
                    let leader = user.role >= Role::Leader;
                    let admin = user.role >= Role::Admin;
                    let audit = if admin { "/admin/audit" } else { "/leader/audit" };
                    view! {
                        <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_main)>
                            <A href="/console">{t!(i18n, nav_user_console)}</A>
                            <A href="/equipment">{t!(i18n, nav_equipment)}</A>
                            <A href="/requests">{t!(i18n, nav_requests)}</A>
                            <A href=if leader { "/leader/statistics" } else { "/statistics" }>{t!(i18n, nav_statistics)}</A>
                            <Show when=move || leader>
                                <NavGroup label=move || td_string!(i18n.get_locale(), nav_group_leader) under=&["/leader", "/admin/audit"] unfolded>
                                    <A href="/leader" exact=true>{t!(i18n, nav_leader_console)}</A>
                                    <A href="/leader/approvals">{t!(i18n, nav_approvals)}</A>
                                    <A href="/leader/people">{t!(i18n, nav_people)}</A>
                                    <A href=audit>{t!(i18n, nav_audit)}</A>
                                </NavGroup>
                            </Show>
                            <Show when=move || admin>
                                <NavGroup label=move || td_string!(i18n.get_locale(), nav_group_admin) under=&["/admin/catalogue", "/admin/equipment", "/admin/dead-letters"] unfolded>
                                    <A href="/admin/catalogue">{t!(i18n, nav_catalogue)}</A>
                                    <A href="/admin/equipment/import">{t!(i18n, nav_import)}</A>
                                    <A href="/admin/dead-letters">{t!(i18n, nav_dead_letters)}</A>
                                </NavGroup>
                            </Show>
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}

/// A folded group of links (a `<details>` menu: keyboard and screen-reader
/// friendly, and it opens without JavaScript). Marked current while a page
/// under `under` is shown; it closes once a link in it is followed.
#[component]
fn NavGroup(
    #[prop(into)] label: Signal<&'static str>,
    under: &'static [&'static str],
    unfolded: bool,
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let path = location.pathname.get();
        under
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
    };
    let group = NodeRef::<leptos::html::Details>::new();
    let close = move |_| {
        if let Some(details) = group.get() {
            let _ = details.remove_attribute("open");
        }
    };
    if unfolded {
        return view! {
            <div class="nav-section">
                <p class="nav-section-title">{move || label.get()}</p>
                <div class="nav-section-links">{children()}</div>
            </div>
        }
        .into_any();
    }
    view! {
        <details class="nav-group" node_ref=group>
            <summary class:nav-current=current>{move || label.get()}</summary>
            <div class="nav-menu" on:click=close>{children()}</div>
        </details>
    }
    .into_any()
}
