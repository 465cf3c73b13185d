//! `/login` (password and SMS code) and `/account/password`. Every form is a
//! server-function form: it works without JavaScript and better with it.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, CodeLogin, Login, SendLoginCode};
use crate::error::{AppError, Limit};
use crate::i18n::*;
use crate::pages::error_text;

/// The resend cooldown the server enforces, shown as a countdown.
const RESEND_SECS: u64 = 60;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = Signal::derive(move || query.read().get("next").unwrap_or_default());
    let sms = move || query.read().get("method").as_deref() == Some("sms");
    let tab_href = move |method: &str| {
        let next = next.get();
        let mut pairs = vec![("method", method)];
        if !next.is_empty() {
            pairs.push(("next", next.as_str()));
        }
        format!("/login{}", super::api::url_query(&pairs))
    };
    view! {
        <section class="auth-page">
            <div class="auth-card">
                <h1>{t!(i18n, login_title)}</h1>
                <p class="muted">{t!(i18n, login_lead)}</p>
                <nav class="tabs" aria-label=move || td_string!(i18n.get_locale(), login_methods)>
                    <a
                        href=move || tab_href("password")
                        class="tab"
                        aria-current=move || (!sms()).then_some("page")
                    >
                        {t!(i18n, login_tab_password)}
                    </a>
                    <a
                        href=move || tab_href("sms")
                        class="tab"
                        aria-current=move || sms().then_some("page")
                    >
                        {t!(i18n, login_tab_sms)}
                    </a>
                </nav>
                <Show when=sms fallback=move || view! { <PasswordForm next /> }>
                    <SmsForms next />
                </Show>
            </div>
        </section>
    }
}

/// Once signed in with JavaScript, load the destination as a whole new page,
/// so that everything on it belongs to the new user.
fn reload_into_on_success(
    value: impl Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if let Some(Ok(destination)) = value.get() {
            let _ = window().location().assign(&destination);
        }
    });
}

#[component]
fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            view! {
                <p class="form-error" role="alert">
                    {error_text(i18n.get_locale(), &error)}
                </p>
            }
        })
    }
}

fn error_of<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

#[component]
fn PasswordForm(next: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let pending = action.pending();
    reload_into_on_success(action.value());
    view! {
        <ActionForm action attr:class="form-stack">
            <input type="hidden" name="next" value=next />
            <label for="login-username">{t!(i18n, field_username)}</label>
            <input
                id="login-username"
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
            />
            <label for="login-password">{t!(i18n, field_password)}</label>
            <input
                id="login-password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
            />
            <label class="check">
                <input type="checkbox" name="remember" value="on" />
                {t!(i18n, remember_me)}
            </label>
            <FormError error=error_of(action.value()) />
            <button type="submit" class="button button-primary" disabled=pending>
                {move || if pending.get() { t_string!(i18n, signing_in) } else { t_string!(i18n, sign_in) }}
            </button>
        </ActionForm>
    }
}

#[component]
fn SmsForms(next: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let send = ServerAction::<SendLoginCode>::new();
    let verify = ServerAction::<CodeLogin>::new();
    reload_into_on_success(verify.value());
    let challenge = Signal::derive(move || match send.value().get() {
        Some(Ok(id)) => id,
        _ => query.read().get("challenge").unwrap_or_default(),
    });
    let phone = query.read_untracked().get("phone").unwrap_or_default();
    let code_sent = move || !challenge.get().is_empty();
    let remaining = resend_countdown(send.value());
    let send_label = move || match remaining.get() {
        0 if send.pending().get() => t_string!(i18n, sending).to_string(),
        0 => t_string!(i18n, send_code).to_string(),
        secs => td_string!(i18n.get_locale(), resend_in, seconds = secs).to_string(),
    };
    view! {
        <ActionForm action=send attr:class="form-stack">
            <input type="hidden" name="next" value=next />
            <input type="hidden" name="challenge" value=challenge />
            <label for="login-phone">{t!(i18n, field_phone)}</label>
            <div class="input-row">
                <input
                    id="login-phone"
                    name="phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    value=phone
                    required
                />
                <button
                    type="submit"
                    class="button"
                    disabled=move || { send.pending().get() || remaining.get() > 0 }
                >
                    {send_label}
                </button>
            </div>
            <FormError error=error_of(send.value()) />
            <Show when=code_sent>
                <p class="form-note" role="status">{t!(i18n, code_sent_note)}</p>
            </Show>
        </ActionForm>
        <ActionForm action=verify attr:class="form-stack">
            <input type="hidden" name="next" value=next />
            <input type="hidden" name="challenge" value=challenge />
            <label for="login-code">{t!(i18n, field_code)}</label>
            <input
                id="login-code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
                maxlength="6"
                required
            />
            <label class="check">
                <input type="checkbox" name="remember" value="on" />
                {t!(i18n, remember_me)}
            </label>
            <FormError error=error_of(verify.value()) />
            <button
                type="submit"
                class="button button-primary"
                disabled=move || verify.pending().get() || !code_sent()
            >
                {move || if verify.pending().get() { t_string!(i18n, signing_in) } else { t_string!(i18n, sign_in) }}
            </button>
        </ActionForm>
    }
}

/// Seconds until another code may be requested: starts at each successful
/// send (or at the wait the server names), ticks down in the browser.
fn resend_countdown(
    value: impl Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
) -> ReadSignal<u64> {
    let (remaining, set_remaining) = signal(0u64);
    Effect::new(move |_| match value.get() {
        Some(Ok(_)) => set_remaining.set(RESEND_SECS),
        Some(Err(AppError::TooManyRequests {
            limit: Limit::CodeCooldown,
            retry_after_secs,
        })) => set_remaining.set(retry_after_secs),
        _ => {}
    });
    Effect::new(move |_| {
        let tick = move || set_remaining.update(|r| *r = r.saturating_sub(1));
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    remaining
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let pending = action.pending();
    let query = use_query_map();
    let done = move || {
        matches!(action.value().get(), Some(Ok(())))
            || (action.value().get().is_none() && query.read().get("changed").is_some())
    };
    view! {
        <section class="auth-page">
            <div class="auth-card">
                <h1>{t!(i18n, change_password_title)}</h1>
                <p class="muted">{t!(i18n, change_password_lead)}</p>
                <Show when=move || query.read().get("required").is_some() && !done()>
                    <p class="notice" role="alert" data-testid="password-change-required">
                        {t!(i18n, password_change_required_notice)}
                    </p>
                </Show>
                <ActionForm action attr:class="form-stack">
                    <label for="current-password">{t!(i18n, field_current_password)}</label>
                    <input
                        id="current-password"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                    <label for="new-password">{t!(i18n, field_new_password)}</label>
                    <input
                        id="new-password"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                        minlength="8"
                        maxlength="128"
                        aria-describedby="new-password-hint"
                        required
                    />
                    <p class="form-hint" id="new-password-hint">{t!(i18n, new_password_hint)}</p>
                    <label for="confirm-password">{t!(i18n, field_confirm_password)}</label>
                    <input
                        id="confirm-password"
                        name="confirm_password"
                        type="password"
                        autocomplete="new-password"
                        required
                    />
                    <FormError error=error_of(action.value()) />
                    <Show when=done>
                        <p class="form-success" role="status">
                            {t!(i18n, password_changed)}" "<a href="/">{t!(i18n, nav_home)}</a>
                        </p>
                    </Show>
                    <button type="submit" class="button button-primary" disabled=pending>
                        {t!(i18n, save)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}
