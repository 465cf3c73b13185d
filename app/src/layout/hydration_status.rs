use leptos::prelude::*;

use crate::i18n::*;

/// Shows whether the page is only server-rendered or already hydrated.
///
/// Effects never run during server rendering, so the server always sends the
/// "static" state and the browser flips it once the WebAssembly has attached.
#[component]
pub fn HydrationStatus() -> impl IntoView {
    let i18n = use_i18n();
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <span
            class="hydration-status"
            data-hydrated=move || hydrated.get().to_string()
            title=move || td_string!(i18n.get_locale(), hydration_label)
        >
            <span class="dot" aria-hidden="true"></span>
            {move || {
                if hydrated.get() {
                    t!(i18n, hydration_interactive).into_any()
                } else {
                    t!(i18n, hydration_static).into_any()
                }
            }}
        </span>
    }
}
