//! The sign-in flows behind the server functions: each one checks limits
//! first, answers unknown accounts exactly like wrong secrets, and logs the
//! outcome without passwords, codes or session ids.
use tower_sessions::Session;

use super::password::needs_rehash;
use super::policy::check_new_password;
use super::principal::Principal;
use super::sms::challenge::{self, IssueRequest};
use super::throttle::Subject;
use super::{repo, session, throttle};
use crate::error::AppError;
use crate::state::AppState;

fn password_error(error: super::password::PasswordError) -> AppError {
    match error {
        super::password::PasswordError::Busy(_) => AppError::TooManyRequests {
            limit: crate::error::Limit::Busy,
            retry_after_secs: 5,
        },
        other => {
            tracing::error!(error = %other, "password hashing failed");
            AppError::Internal
        }
    }
}

/// Account + password. On success the session is rotated and signed in.
pub async fn password_login(
    state: &AppState,
    session: &Session,
    address: &str,
    username: &str,
    password: String,
    remember: bool,
) -> Result<Principal, AppError> {
    let settings = &state.auth.settings;
    let account = username.trim().to_lowercase();
    let subject = Subject::Account(&account);
    throttle::admit(&state.redis, settings, subject, address).await?;
    let record = repo::login_record(&state.db, &account).await?;
    let stored = record.as_ref().map(|r| r.password_hash.clone());
    let matches = state
        .auth
        .passwords
        .verify(password.clone(), stored)
        .await
        .map_err(password_error)?;
    let record = match record {
        Some(record) if matches && record.active => record,
        _ => {
            throttle::record_failure(&state.redis, settings, subject, address).await?;
            tracing::info!(target: "auth", account = %account, %address, "password sign-in failed");
            return Err(AppError::BadCredentials);
        }
    };
    throttle::record_success(&state.redis, settings, subject).await?;
    if needs_rehash(&record.password_hash) {
        let new_hash = state
            .auth
            .passwords
            .hash(password)
            .await
            .map_err(password_error)?;
        repo::upgrade_hash(&state.db, record.id, &record.password_hash, &new_hash).await?;
        tracing::info!(target: "auth", user_id = record.id, "password hash upgraded to current parameters");
    }
    finish_sign_in(state, session, record.id, remember, "password").await
}

async fn finish_sign_in(
    state: &AppState,
    session: &Session,
    user_id: i64,
    remember: bool,
    method: &'static str,
) -> Result<Principal, AppError> {
    state.auth.principals.forget(user_id).await;
    let principal = state
        .auth
        .principals
        .get(&state.db, user_id)
        .await?
        .filter(|p| p.active)
        .ok_or(AppError::BadCredentials)?;
    session::sign_in(session, state, &principal, remember).await?;
    repo::record_login(&state.db, user_id).await?;
    tracing::info!(target: "auth", user_id, method, "signed in");
    Ok((*principal).clone())
}

/// A phone number as users type it, in the one form accounts store (E.164).
/// A malformed number is refused here, before any code is issued (and so
/// before the page starts its resend countdown).
pub fn normalise_phone(phone: &str) -> Result<String, AppError> {
    crate::phones::normalise(phone).ok_or_else(|| AppError::validation("phone", "phone_invalid"))
}

/// Issues a challenge for `phone` and sends its code; an unknown phone gets
/// the same answer, the same limits, and no SMS. Returns the challenge id.
pub async fn send_code(
    state: &AppState,
    address: &str,
    phone: &str,
    previous: Option<&str>,
) -> Result<String, AppError> {
    let phone = normalise_phone(phone)?;
    let known = repo::active_user_by_phone(&state.db, &phone)
        .await?
        .is_some();
    let challenge_id = challenge::new_challenge_id();
    let code = known.then(challenge::new_code);
    challenge::issue(
        &state.redis,
        &state.auth.settings,
        IssueRequest {
            phone: &phone,
            address,
            challenge: &challenge_id,
            previous,
            code: code.as_deref(),
        },
    )
    .await?;
    if let Some(code) = code {
        // In the background: a slow gateway must not make known phones
        // answer more slowly than unknown ones.
        let sender = state.auth.sms.clone();
        tokio::spawn(async move {
            if let Err(error) = sender.send(&phone, &code).await {
                tracing::error!(target: "auth", error = %error, sender = sender.name(), "SMS code not delivered");
            }
        });
    }
    tracing::info!(target: "auth", %address, "SMS code requested");
    Ok(challenge_id)
}

/// Phone + code. Failures count against the address (as for passwords) and
/// against the phone the challenge was sent to, whichever challenge they
/// used: a phone's own key space, which no account name can reach.
pub async fn code_login(
    state: &AppState,
    session: &Session,
    address: &str,
    challenge_id: &str,
    code: &str,
    remember: bool,
) -> Result<Principal, AppError> {
    let settings = &state.auth.settings;
    throttle::admit_address(&state.redis, settings, address).await?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::validation("code", "code_invalid"));
    }
    let phone = challenge::phone_of(&state.redis, settings, challenge_id)
        .await?
        .ok_or(AppError::CodeExpired)?;
    let subject = Subject::Phone(&phone);
    throttle::admit_subject(&state.redis, settings, subject).await?;
    match challenge::verify(&state.redis, settings, challenge_id, code).await {
        Ok(_) => {}
        Err(error) => {
            if matches!(error, AppError::WrongCode { .. } | AppError::CodeExpired) {
                throttle::record_failure(&state.redis, settings, subject, address).await?;
            }
            tracing::info!(target: "auth", %address, "SMS sign-in failed");
            return Err(error);
        }
    }
    throttle::record_success(&state.redis, settings, subject).await?;
    let user_id = repo::active_user_by_phone(&state.db, &phone)
        .await?
        .ok_or(AppError::CodeExpired)?;
    finish_sign_in(state, session, user_id, remember, "sms").await
}

/// A password change as asked for: the current password proves it is the
/// user, so wrong ones count like failed sign-ins of the account.
pub struct PasswordChange<'a> {
    pub current: String,
    pub new: String,
    /// The client's address, for the throttle.
    pub address: &'a str,
}

/// The signed-in user's own password change: current one required; every
/// other session of the user ends, this one continues under a new id.
pub async fn change_password(
    state: &AppState,
    session: &Session,
    user: &Principal,
    change: PasswordChange<'_>,
) -> Result<(), AppError> {
    let settings = &state.auth.settings;
    let subject = Subject::Account(&user.username);
    throttle::admit(&state.redis, settings, subject, change.address).await?;
    let stored = repo::password_hash(&state.db, user.id).await?;
    let ok = state
        .auth
        .passwords
        .verify(change.current, stored)
        .await
        .map_err(password_error)?;
    if !ok {
        throttle::record_failure(&state.redis, settings, subject, change.address).await?;
        tracing::info!(target: "auth", user_id = user.id, "password change: current password wrong");
        return Err(AppError::validation(
            "current_password",
            "current_password_wrong",
        ));
    }
    let new = change.new;
    let mut inputs = vec![user.username.as_str(), user.display_name.as_str()];
    if let Some(phone) = &user.phone {
        inputs.push(phone);
    }
    check_new_password(&new, &inputs).map_err(|e| AppError::validation("new_password", e.key()))?;
    let hash = state
        .auth
        .passwords
        .hash(new)
        .await
        .map_err(password_error)?;
    let mut tx = state.db.begin().await?;
    let epoch = repo::set_password(&mut tx, user.id, &hash, false).await?;
    crate::audit::append(
        &mut tx,
        crate::audit::AuditEntry {
            actor_id: Some(user.id),
            action: "user.password_changed",
            entity_type: "user",
            entity_id: user.id,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    state.auth.principals.forget(user.id).await;
    session::follow_new_epoch(session, epoch).await?;
    tracing::info!(target: "auth", user_id = user.id, "password changed; other sessions ended");
    Ok(())
}
