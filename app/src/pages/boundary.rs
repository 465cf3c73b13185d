//! The error boundary every page sits in.
//!
//! Leptos's `ErrorBoundary` calls its fallback, when the error comes from a
//! `Suspense` that resolves later, from inside a future it polls on its own,
//! outside any reactive owner of this page. There `use_context` finds either
//! nothing (the i18n context is missing: a panic, and the connection is
//! dropped) or whatever owner the worker thread last had current — another
//! request's (its language, its response status). A penetration test saw
//! both: 3 dropped connections and 404 pages answered with 200 in 40
//! concurrent requests. So the fallback runs inside the owner where the
//! boundary was created, which holds this page's contexts.
//!
//! Pages show their own data's errors (`pages::outcome`); this boundary is
//! the net for anything else thrown.
use leptos::prelude::*;

use super::ErrorPanel;

#[component]
pub fn PageBoundary(children: Children) -> impl IntoView {
    let owner = Owner::current().unwrap_or_default();
    view! {
        <ErrorBoundary fallback=move |errors| owner.with(|| view! { <ErrorPanel errors /> })>
            {children()}
        </ErrorBoundary>
    }
}
