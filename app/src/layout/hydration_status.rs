use leptos::prelude::*;

/// Marks whether the page is only server-rendered or already hydrated, for
/// the end-to-end tests and for anyone debugging a page (`data-hydrated`).
/// Nothing visible: "server-rendered" and "interactive" mean nothing to users.
///
/// Effects never run during server rendering, so the server always sends
/// "false" and the browser flips it once the WebAssembly has attached.
#[component]
pub fn HydrationStatus() -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    view! {
        <span
            class="hydration-status"
            aria-hidden="true"
            data-hydrated=move || hydrated.get().to_string()
        ></span>
    }
}
