use leptos::prelude::*;

use crate::auth::{Role, SignedInUser, use_current_user};
use crate::i18n::*;

/// The signed-in user, when there is one, from the page's shared resource.
pub fn signed_in_user()
-> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = Option<SignedInUser>> + Send>> + Copy {
    let me = use_current_user();
    move || {
        Box::pin(async move {
            match me {
                Some(resource) => resource.await.ok().flatten(),
                None => None,
            }
        })
    }
}

/// Who is signed in, their password page, and sign-out (a POST, so that a
/// link on another site cannot sign anyone out).
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let user = signed_in_user();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user().await.map(|user| {
                    let role = match user.role {
                        Role::User => t_string!(i18n, role_user),
                        Role::Leader => t_string!(i18n, role_leader),
                        Role::Admin => t_string!(i18n, role_admin),
                    };
                    view! {
                        <div class="user-menu">
                            <a class="user-name" href="/account/password" title=move || td_string!(i18n.get_locale(), change_password_title)>
                                {user.display_name.clone()}
                                <span class="role-badge">{role}</span>
                            </a>
                            <form method="post" action="/logout" class="inline-form">
                                <button type="submit" class="button button-small">{t!(i18n, sign_out)}</button>
                            </form>
                        </div>
                    }
                })
            })}
        </Suspense>
    }
}
