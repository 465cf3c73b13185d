use leptos::prelude::*;

use crate::i18n::*;

/// Landing page: what EquipFlow is, and a door into each console.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
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
            <a class="card card-link" href="/leader">
                <span class="card-icon" aria-hidden="true">"✅"</span>
                <h2>{t!(i18n, home_leader_card_title)}</h2>
                <p>{t!(i18n, home_leader_card_body)}</p>
                <span class="card-cta">{t!(i18n, home_open)} " →"</span>
            </a>
        </section>
    }
}
