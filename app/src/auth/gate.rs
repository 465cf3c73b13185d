//! The signed-in user as page context, and the gate around role-bound pages.
use leptos::prelude::*;

use super::api::current_user;
use super::model::{Role, SignedInUser};
use crate::error::AppError;
use crate::pages::{ErrorPanel, ForbiddenPanel, PageBoundary, boxed_fetch};

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
#[component]
pub fn RoleGate(min: Role, children: ChildrenFn) -> impl IntoView {
    let me = use_current_user();
    let children = StoredValue::new(children);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let me = match me {
                    Some(resource) => resource.await,
                    None => Err(AppError::Internal),
                };
                match me {
                    // The page's own failures (an item that does not exist) stop here:
                    // thrown from inside this Suspense they did not reach the app's boundary.
                    Ok(Some(user)) if user.role >= min => view! {
                        <PageBoundary>
                            {children.with_value(|c| c())}
                        </PageBoundary>
                    }
                    .into_any(),
                    Ok(_) => view! { <ForbiddenPanel /> }.into_any(),
                    Err(error) => {
                        let errors = ArcRwSignal::new(Errors::default());
                        errors.update(|e| e.insert_with_default_key(error));
                        view! { <ErrorPanel errors /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
