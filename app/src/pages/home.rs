use leptos::prelude::*;

use crate::auth::Role;
use crate::i18n::*;
use crate::layout::signed_in_user;

/// Landing page: what EquipFlow is, and a door into each console.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = signed_in_user();
    view! {
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_lead)}</p>
        </section>
        <section class="card-grid">
            <a class="card card-link" href="/console">
                <span class="card-icon" aria-hidden="true">"🔎"</span>
                <h2>{t!(i18n, home_user_card_title)}</h2>
                <p>{t!(i18n, home_user_card_body)}</p>
                <span class="card-cta">{t!(i18n, home_open)} " →"</span>
            </a>
            <Suspense>
                {move || Suspend::new(async move {
                    let leader = user().await.is_some_and(|u| u.role >= Role::Leader);
                    leader.then(|| view! {
                        <a class="card card-link" href="/leader">
                            <span class="card-icon" aria-hidden="true">"✅"</span>
                            <h2>{t!(i18n, home_leader_card_title)}</h2>
                            <p>{t!(i18n, home_leader_card_body)}</p>
                            <span class="card-cta">{t!(i18n, home_open)} " →"</span>
                        </a>
                    })
                })}
            </Suspense>
        </section>
    }
}
