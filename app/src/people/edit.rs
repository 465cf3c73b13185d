//! `/leader/people/:id`: edit a person's name, phone, department and role,
//! offered only what the signed-in leader may grant (the server checks again).
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{PersonRow, UpdatePerson, assignable_departments, get_person};
use super::{DepartmentOption, department_options, role_options};
use crate::auth::Role;
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text};

#[component]
pub fn PersonEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let update = ServerAction::<UpdatePerson>::new();
    let person = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| {
            boxed_fetch(async move {
                match id {
                    Some(id) => get_person(id).await,
                    None => Err(crate::error::AppError::NotFound),
                }
            })
        },
    );
    let departments = Resource::new(|| (), |_| boxed_fetch(assignable_departments()));
    let me = crate::auth::use_current_user();
    view! {
        <section class="page-head">
            <p class="breadcrumb"><a href="/leader/people">{t!(i18n, people_title)}</a></p>
            <h1>{t!(i18n, people_edit_title)}</h1>
        </section>
        <Suspense fallback=move || view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let my_role = match me {
                    Some(me) => me.await.ok().flatten().map_or(Role::User, |u| u.role),
                    None => Role::User,
                };
                let departments = departments.await;
                match (person.await, departments) {
                    (Ok(person), Ok(departments)) => {
                        view! { <PersonForm person departments my_role update /> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! {
                        <p class="form-error" role="alert">{error_text(i18n.get_locale(), &error)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonForm(
    person: PersonRow,
    departments: Vec<DepartmentOption>,
    my_role: Role,
    update: ServerAction<UpdatePerson>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let roles = role_options(locale, my_role, Some(person.role));
    let options = department_options(departments, Some(person.department_id));
    let saved = move || matches!(update.value().get(), Some(Ok(_)));
    let error = move || update.value().get().and_then(|r| r.err());
    view! {
        <section class="panel form-panel" aria-labelledby="person-edit-title">
            <h2 id="person-edit-title">
                {person.display_name.clone()}" "<span class="muted">"@"{person.username.clone()}</span>
            </h2>
            <ActionForm action=update attr:class="form-stack">
                <input type="hidden" name="user_id" value=person.id />
                <label for="edit-display-name">{t!(i18n, field_display_name)}</label>
                <input id="edit-display-name" name="display_name" required maxlength="64" value=person.display_name.clone() />
                <label for="edit-phone">{t!(i18n, field_phone)}</label>
                <input id="edit-phone" name="phone" type="tel" inputmode="tel" value=person.phone.clone().unwrap_or_default() />
                <label for="edit-department">{t!(i18n, department)}</label>
                <select id="edit-department" name="department_id" required>{options}</select>
                <label for="edit-role">{t!(i18n, people_col_role)}</label>
                <select id="edit-role" name="role" aria-describedby="edit-role-hint">{roles}</select>
                <p class="form-hint" id="edit-role-hint">{t!(i18n, people_role_hint)}</p>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
                <Show when=saved>
                    <p class="notice" role="status" data-testid="person-saved">{t!(i18n, people_saved)}</p>
                </Show>
                <button type="submit" class="button button-primary" disabled=update.pending()>
                    {move || if update.pending().get() { t_string!(i18n, saving) } else { t_string!(i18n, people_save) }}
                </button>
            </ActionForm>
        </section>
    }
}
