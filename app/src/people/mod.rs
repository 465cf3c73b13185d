//! `/leader/people`: the people a leader (or admin) manages, searched and
//! paged, created, disabled and reset here; `/leader/people/:id` edits one.
mod api;
mod edit;
#[cfg(feature = "ssr")]
mod manage;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub(crate) mod scope;

#[cfg(feature = "ssr")]
pub use manage::managed_person;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

pub use api::{
    AssignableDepartments, CreatePerson, DepartmentLeaders, DepartmentOption, GetPerson,
    IssuedPassword, LeadersOf, ListPeople, PEOPLE_PAGE, PeoplePage, PersonRow, ResetPersonPassword,
    SetPersonActive, UpdatePerson, assignable_departments, department_leaders, get_person,
    list_people, update_person,
};
pub use edit::PersonEditPage;

use crate::auth::Role;
use crate::confirm::{CONFIRMED, ConfirmButton, Confirmation, Irreversible, phrase};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::{boxed_fetch, error_text, filtered_href};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").filter(|p| !p.is_empty());
    let create = ServerAction::<CreatePerson>::new();
    let set_active = ServerAction::<SetPersonActive>::new();
    let reset = ServerAction::<ResetPersonPassword>::new();
    let people = Resource::new(
        move || {
            (
                search(),
                page(),
                create.version().get(),
                set_active.version().get(),
            )
        },
        |(search, page, _, _)| boxed_fetch(list_people(Some(search), page)),
    );
    let departments = Resource::new(|| (), |_| boxed_fetch(assignable_departments()));
    let me = crate::auth::use_current_user();
    let issued = Signal::derive(move || match (create.value().get(), reset.value().get()) {
        (_, Some(Ok(issued))) if reset.version().get() >= create.version().get() => Some(issued),
        (Some(Ok(issued)), _) => Some(issued),
        (_, Some(Ok(issued))) => Some(issued),
        _ => None,
    });
    let action_error = Signal::derive(move || {
        [
            set_active.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <section class="page-head">
            <h1>{t!(i18n, people_title)}</h1>
            <p class="lead">{t!(i18n, people_lead)}</p>
        </section>
        <IssuedNotice issued />
        {move || action_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
        <div class="split">
            <section class="panel" aria-labelledby="people-list-title">
                <h2 id="people-list-title">{t!(i18n, people_list_title)}</h2>
                <form method="get" class="search-row" role="search">
                    <label class="visually-hidden" for="people-search">{t!(i18n, people_search)}</label>
                    <input id="people-search" name="q" type="search" value=search placeholder=move || td_string!(i18n.get_locale(), people_search) />
                    <button type="submit" class="button">{t!(i18n, search)}</button>
                </form>
                <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                    {move || Suspend::new(async move {
                        let me = match me {
                            Some(me) => me.await.ok().flatten().map(|u| u.id),
                            None => None,
                        };
                        crate::pages::outcome(people.await.map(|page| view! { <PeopleTable page me set_active reset /> }))
                    })}
                </Suspense>
            </section>
            <section class="panel" aria-labelledby="people-create-title">
                <h2 id="people-create-title">{t!(i18n, people_create_title)}</h2>
                <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                    {move || Suspend::new(async move {
                        let my_role = match me {
                            Some(me) => me.await.ok().flatten().map_or(Role::User, |u| u.role),
                            None => Role::User,
                        };
                        crate::pages::outcome(departments.await.map(|departments| view! { <CreatePersonForm departments my_role create /> }))
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn IssuedNotice(issued: Signal<Option<IssuedPassword>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        issued.get().map(|issued| {
            view! {
                <div class="notice" role="status">
                    <p>{td_string!(i18n.get_locale(), people_issued, username = issued.username.clone())}</p>
                    <p class="secret"><code>{issued.password.clone()}</code></p>
                    <p class="muted">{t!(i18n, people_issued_hint)}</p>
                </div>
            }
        })
    }
}

/// The roles an actor may grant (theirs and below), `selected` preselected.
pub(crate) fn role_options(locale: Locale, my_role: Role, selected: Option<Role>) -> impl IntoView {
    Role::ALL
        .into_iter()
        .filter(|r| *r <= my_role)
        .map(|r| view! { <option value=r.as_str() selected=Some(r) == selected>{role_label(locale, r)}</option> })
        .collect_view()
}

/// Departments indented by depth, `selected` preselected.
pub(crate) fn department_options(
    departments: Vec<DepartmentOption>,
    selected: Option<i64>,
) -> impl IntoView {
    departments
        .into_iter()
        .map(|d| {
            let label = format!(
                "{}{}",
                "\u{3000}".repeat(usize::try_from(d.depth).unwrap_or(0)),
                d.name
            );
            view! { <option value=d.id selected=Some(d.id) == selected>{label}</option> }
        })
        .collect_view()
}

pub(crate) fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::User => td_string!(locale, role_user),
        Role::Leader => td_string!(locale, role_leader),
        Role::Admin => td_string!(locale, role_admin),
    }
}

/// Edit, enable or disable (asking first), reset (asking first).
#[component]
fn PersonActions(
    row: PersonRow,
    set_active: ServerAction<SetPersonActive>,
    reset: ServerAction<ResetPersonPassword>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = row.id;
    let back = crate::pages::current_address();
    let (name, username) = (row.display_name.clone(), row.username.clone());
    let disable = row.active.then(|| {
        let question = phrase(
            locale,
            &Confirmation::DisablePerson {
                id,
                name: name.clone(),
                username: username.clone(),
            },
        )
        .0;
        view! {
            <ConfirmButton
                action=Irreversible::DisablePerson
                id
                back=back.clone()
                label=td_string!(locale, people_disable).to_string()
                question
                pending=set_active.pending()
                on_confirm=Callback::new(move |()| {
                    set_active.dispatch(SetPersonActive {
                        user_id: id,
                        active: false,
                        confirmed: Some(CONFIRMED.to_owned()),
                        back: None,
                    });
                })
            />
        }
    });
    // Enabling again undoes nothing irreversible: no question.
    let enable = (!row.active).then(|| view! {
        <ActionForm action=set_active attr:class="inline-form">
            <input type="hidden" name="user_id" value=id />
            <input type="hidden" name="active" value="true" />
            <button type="submit" class="button button-small" disabled=move || set_active.pending().get()>
                {t!(i18n, people_enable)}
            </button>
        </ActionForm>
    });
    let reset_question = phrase(locale, &Confirmation::ResetPassword { id, name, username }).0;
    view! {
        <A href=format!("/leader/people/{id}") attr:class="button button-small">{t!(i18n, people_edit)}</A>
        {disable}
        {enable}
        <ConfirmButton
            action=Irreversible::ResetPassword
            id
            back
            label=td_string!(locale, people_reset_password).to_string()
            question=reset_question
            pending=reset.pending()
            on_confirm=Callback::new(move |()| {
                reset.dispatch(ResetPersonPassword {
                    user_id: id,
                    confirmed: Some(CONFIRMED.to_owned()),
                    back: None,
                });
            })
        />
    }
}

#[component]
fn PeopleTable(
    page: PeoplePage,
    /// The signed-in leader: their own row offers no actions.
    me: Option<i64>,
    set_active: ServerAction<SetPersonActive>,
    reset: ServerAction<ResetPersonPassword>,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, people_empty)}</p> }.into_any();
    }
    let locale = i18n.get_locale_untracked();
    let pager = view! { <PeoplePager page=page.page pages=page.pages total=page.total /> };
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            let own = me == Some(row.id);
            view! {
                <tr class:row-disabled=!row.active>
                    <td>
                        <span class="person-name">{row.display_name.clone()}</span>
                        <span class="muted person-username">{row.username.clone()}</span>
                    </td>
                    <td class="nowrap" data-label=td_string!(locale, department)>{row.department_name.clone()}</td>
                    <td class="nowrap" data-label=td_string!(locale, people_col_role)>{role_label(locale, row.role)}</td>
                    <td data-label=td_string!(locale, field_phone)>{row.phone.clone().unwrap_or_default()}</td>
                    <td data-label=td_string!(locale, people_col_status)>
                        <span class=if row.active { "badge badge-ok" } else { "badge badge-off" }>
                            {if row.active { t_string!(i18n, people_active) } else { t_string!(i18n, people_disabled) }}
                        </span>
                    </td>
                    <td class="actions">
                        <Show when=move || own>
                            <span class="muted">{t!(i18n, people_you)}</span>
                        </Show>
                        {(!own).then(|| view! { <PersonActions row=row.clone() set_active reset /> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table people-table cards">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, people_col_name)}</th>
                        <th scope="col">{t!(i18n, department)}</th>
                        <th scope="col">{t!(i18n, people_col_role)}</th>
                        <th scope="col">{t!(i18n, field_phone)}</th>
                        <th scope="col">{t!(i18n, people_col_status)}</th>
                        <th scope="col">{t!(i18n, people_col_actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {pager}
    }
    .into_any()
}

/// "Page 2 of 7 · 312 people" with previous/next links that keep the search.
#[component]
fn PeoplePager(page: i64, pages: i64, total: i64) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().get_untracked();
    let path = use_location().pathname.get_untracked();
    let link = |to: i64| filtered_href(&path, &query, &["q"], Some(("page", to.to_string())));
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label=move || td_string!(i18n.get_locale(), pager_label)>
            {previous.map(|href| view! { <A href=href attr:class="button button-small" attr:rel="prev">{t!(i18n, pager_prev)}</A> })}
            <span class="muted" data-testid="people-page">
                {move || td_string!(i18n.get_locale(), people_page_of, page = page, pages = pages.max(1), total = total).to_string()}
            </span>
            {next.map(|href| view! { <A href=href attr:class="button button-small" attr:rel="next">{t!(i18n, pager_next)}</A> })}
        </nav>
    }
}

#[component]
fn CreatePersonForm(
    departments: Vec<DepartmentOption>,
    my_role: Role,
    create: ServerAction<CreatePerson>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let roles = role_options(locale, my_role, None);
    let options = department_options(departments, None);
    let error: Signal<Option<AppError>> =
        Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=create attr:class="form-stack">
            <label for="person-username">{t!(i18n, field_username)}</label>
            <input id="person-username" name="username" required autocapitalize="none" spellcheck="false" pattern="[a-z0-9][a-z0-9._\\-]{2,31}" aria-describedby="person-username-hint" />
            <p class="form-hint" id="person-username-hint">{t!(i18n, username_hint)}</p>
            <label for="person-display-name">{t!(i18n, field_display_name)}</label>
            <input id="person-display-name" name="display_name" required maxlength="64" />
            <label for="person-phone">{t!(i18n, field_phone)}</label>
            <input id="person-phone" name="phone" type="tel" inputmode="tel" />
            <label for="person-department">{t!(i18n, department)}</label>
            <select id="person-department" name="department_id" required>{options}</select>
            <label for="person-role">{t!(i18n, people_col_role)}</label>
            <select id="person-role" name="role">{roles}</select>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
            <button type="submit" class="button button-primary" disabled=create.pending()>
                {t!(i18n, people_create)}
            </button>
        </ActionForm>
    }
}
