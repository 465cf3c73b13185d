//! The signed-in user as page context, and the gate around role-bound pages.
use leptos::prelude::*;

use super::api::current_user;
use super::model::{Role, SignedInUser};
use crate::error::AppError;
use crate::pages::{ErrorShown, ForbiddenPanel, PageBoundary, boxed_fetch};

pub type CurrentUserResource = Resource<Result<Option<SignedInUser>, AppError>>;

/// Loads the signed-in user once per page load and shares it.
pub fn provide_current_user() {
    let resource: CurrentUserResource =
        Resource::new_blocking(|| (), |_| boxed_fetch(current_user()));
    provide_context(resource);
}

pub fn use_current_user() -> Option<CurrentUserResource> {
    use_context::<CurrentUserResource>()
}

/// Renders `children` only for a user with at least `min`; everyone else
/// gets the 403 page (the server functions behind refuse them anyway).
///
/// The role is known without waiting, so the page is built once: while
/// rendering on the server from the request itself (the login interceptor
/// resolved the session), in the browser from the signed-in user the page
/// was served with. (Built inside a `Suspense`, a page ran three times on the
/// server, and resources of the discarded builds could resolve without the
/// request's context — as "please sign in" — and be the ones the browser
/// hydrated from: a hydration error on every other admin page.)
#[component]
pub fn RoleGate(min: Role, children: ChildrenFn) -> impl IntoView {
    let me = use_current_user();
    let role = move || -> Result<Option<Role>, AppError> {
        #[cfg(feature = "ssr")]
        {
            let _ = me;
            Ok(super::guard::request_auth()
                .and_then(|auth| auth.user)
                .map(|user| user.role))
        }
        #[cfg(not(feature = "ssr"))]
        {
            match me.and_then(|resource| resource.get()) {
                Some(Ok(user)) => Ok(user.map(|u| u.role)),
                Some(Err(error)) => Err(error),
                None => Ok(None),
            }
        }
    };
    move || match role() {
        Ok(Some(role)) if role >= min => {
            let children = children.clone();
            view! { <PageBoundary>{children()}</PageBoundary> }.into_any()
        }
        Ok(_) => view! { <ForbiddenPanel /> }.into_any(),
        Err(error) => view! { <ErrorShown error /> }.into_any(),
    }
}
