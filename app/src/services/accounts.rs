//! Sign-up, log-in, log-out and session look-up.

use super::{account_emails, password, session_cookie};
use crate::domain::login_throttle::{french_wait, ThrottleKey};
use crate::domain::{BusinessProfileInput, Email, FieldErrors, Password};
use crate::error::AppError;
use crate::ports::{BusinessId, SessionUser, StoreError};
use crate::state::AppState;

/// Deliberately the same whether the e-mail is unknown or the password wrong.
pub const BAD_CREDENTIALS: &str = "E-mail ou mot de passe incorrect.";

/// A new session: the user and the token to put in the cookie.
pub struct NewSession {
    pub user: SessionUser,
    pub token: String,
}

/// « Créer mon compte »: the same answer whether the address is new or already has an account
/// (nothing tells a stranger which addresses are registered). A new one gets its account and
/// the link confirming its address; a known one's owner is told of the attempt. The person then
/// logs in.
pub async fn sign_up(
    state: &AppState,
    email: &str,
    password: &str,
    confirm: &str,
    ip: &str,
) -> Result<(), AppError> {
    if !state
        .limits
        .allow(&format!("sign-up:{ip}"), state.settings.sign_ups_per_hour, 3600, state.now())
        .await
    {
        return Err(AppError::TooManyAttempts(
            "Trop de comptes créés depuis votre adresse : réessayez dans une heure.".into(),
        ));
    }
    let (email, password) = new_credentials(email, password, confirm)?;
    match create(state, &email, password).await? {
        Created::New(user) => {
            account_emails::send_confirmation(state, user.business_id, email.as_str()).await
        }
        Created::Known(business_id) => {
            account_emails::notify_existing_account(state, business_id, email.as_str()).await
        }
    }
}

/// `reglo user create`: an account whose address the operator vouches for (confirmed).
pub async fn create_account(
    state: &AppState,
    email: &str,
    password: &str,
    confirm: &str,
) -> Result<SessionUser, AppError> {
    let (email, password) = new_credentials(email, password, confirm)?;
    match create(state, &email, password).await? {
        Created::New(user) => {
            state.store.confirm_email(user.business_id, email.as_str(), state.now()).await?;
            Ok(user)
        }
        Created::Known(_) => Err(AppError::Refused("Un compte existe déjà avec cette adresse.".into())),
    }
}

/// The address and password typed, checked.
fn new_credentials(email: &str, password: &str, confirm: &str) -> Result<(Email, Password), AppError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(email));
    let password = errors.check("password", Password::parse(password));
    if password.is_some() && password.as_ref().map(Password::expose) != Some(confirm) {
        errors.push("password_confirm", "Les deux mots de passe ne sont pas identiques.");
    }
    match (email, password) {
        (Some(email), Some(password)) if errors.is_empty() => Ok((email, password)),
        _ => Err(errors.into()),
    }
}

enum Created {
    New(SessionUser),
    /// The address already has an account (of this business).
    Known(BusinessId),
}

/// Creates the user and their business, unless the address has an account: that is known
/// before the (slow) hash, which only a new account pays for.
async fn create(state: &AppState, email: &Email, password: Password) -> Result<Created, AppError> {
    if let Some(known) = state.store.find_credentials(email.as_str()).await? {
        return Ok(Created::Known(known.business_id));
    }
    let hash = password::hash(password).await?;
    match state
        .store
        .create_account(email, &hash, &BusinessProfileInput::new_business_defaults(), state.now())
        .await
    {
        Ok(user) => {
            tracing::info!(user_id = user.user_id, business_id = user.business_id, "account created");
            Ok(Created::New(user))
        }
        // Created by a sign-up running at the same moment.
        Err(StoreError::Conflict(_)) => match state.store.find_credentials(email.as_str()).await? {
            Some(known) => Ok(Created::Known(known.business_id)),
            None => Err(AppError::Refused("Réessayez dans un instant.".into())),
        },
        Err(e) => Err(e.into()),
    }
}

pub async fn log_in(state: &AppState, email: &str, password: &str, ip: &str) -> Result<NewSession, AppError> {
    let email = email.trim().to_lowercase();
    let keys = [ThrottleKey::account_at(&email, ip), ThrottleKey::ip(ip)];
    if let Err(wait) = state.limits.begin_login(&keys, state.now()).await {
        return Err(AppError::TooManyAttempts(format!(
            "Trop de tentatives de connexion. Réessayez dans {}.",
            french_wait(wait)
        )));
    }
    let credentials = if email.is_empty() || password.is_empty() {
        None
    } else {
        state.store.find_credentials(&email).await?
    };
    let (user_ids, hash) = match credentials {
        Some(c) => (Some((c.user_id, c.business_id)), Some(c.password_hash)),
        None => (None, None),
    };
    if !password::verify(password.to_owned(), hash).await? {
        tracing::info!(ip, "failed log-in");
        return Err(AppError::Refused(BAD_CREDENTIALS.into()));
    }
    let Some((user_id, business_id)) = user_ids else {
        return Err(AppError::Refused(BAD_CREDENTIALS.into()));
    };
    state.limits.login_succeeded(&keys).await;
    open_session(state, SessionUser { user_id, business_id, email }).await
}

async fn open_session(state: &AppState, user: SessionUser) -> Result<NewSession, AppError> {
    let token = session_cookie::new_token();
    let at = state.now();
    state
        .store
        .create_session(&session_cookie::hash_token(&token), &user, at, at + session_cookie::TTL_SECONDS)
        .await?;
    Ok(NewSession { user, token })
}

pub async fn log_out(state: &AppState, token: &str) -> Result<(), AppError> {
    let session = session_cookie::hash_token(token);
    state.store.delete_session(&session).await?;
    state.streams.close_session(&session);
    Ok(())
}

/// The user behind a session token, if the session is still valid.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<SessionUser>, AppError> {
    let now = state.now();
    let idle_since = now - session_cookie::IDLE_SECONDS;
    Ok(state.store.find_session(&session_cookie::hash_token(token), now, idle_since).await?)
}

/// « Se déconnecter de tous les appareils »: every session of the user ends, this one included.
pub async fn log_out_everywhere(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    state.store.delete_sessions(user.user_id, None).await?;
    state.streams.close_user(user.user_id, None);
    tracing::info!(user_id = user.user_id, "every session closed");
    Ok(())
}

/// Changes the password, the current one required; the user's other sessions end (a stolen
/// session does not survive the change), this one stays open.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    token: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let password = errors.check("new_password", Password::parse(new));
    if password.is_some() && new != confirm {
        errors.push("new_password_confirm", "Les deux mots de passe ne sont pas identiques.");
    }
    if new == current && password.is_some() {
        errors.push("new_password", "Choisissez un mot de passe différent de l'actuel.");
    }
    if !reauthenticate(state, user, current).await? {
        errors.push("current_password", "Le mot de passe actuel est incorrect.");
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
    let hash = password::hash(password).await?;
    let session = session_cookie::hash_token(token);
    state.store.change_password(user.user_id, &hash, &session).await?;
    state.streams.close_user(user.user_id, Some(&session));
    tracing::info!(user_id = user.user_id, "password changed, other sessions closed");
    Ok(())
}

/// Changes the address the user logs in with: the password is required, the old address is told,
/// and the new one must be confirmed (by the link sent to it) before the account e-mails others.
pub async fn change_login_email(
    state: &AppState,
    user: &SessionUser,
    current_password: &str,
    new_email: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("new_email", Email::parse(new_email));
    if email.as_ref().is_some_and(|e| e.as_str() == user.email) {
        errors.push("new_email", "C'est déjà votre adresse de connexion.");
    }
    if !reauthenticate(state, user, current_password).await? {
        errors.push("current_password", "Le mot de passe actuel est incorrect.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
    match state.store.change_login_email(user.user_id, &email).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.push("new_email", "Cette adresse ne peut pas être utilisée : choisissez-en une autre.");
            return Err(errors.into());
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = user.user_id, "login address changed");
    account_emails::notify_login_email_change(state, user.business_id, &user.email, email.as_str()).await?;
    account_emails::send_confirmation(state, user.business_id, email.as_str()).await
}

/// Whether `password` is that of the account logging in with `email`.
pub async fn password_matches(state: &AppState, email: &str, password: &str) -> Result<bool, AppError> {
    let stored = state.store.find_credentials(email).await?.map(|c| c.password_hash);
    password::verify(password.to_owned(), stored).await
}

/// The logged-in user's password, asked again before a change to the account: a few tries a
/// quarter of an hour, so that a session left open somewhere is no way to guess it.
async fn reauthenticate(state: &AppState, user: &SessionUser, password: &str) -> Result<bool, AppError> {
    if !state.limits.allow(&format!("password-change:{}", user.user_id), 5, 15 * 60, state.now()).await {
        return Err(AppError::TooManyAttempts(
            "Trop de tentatives : réessayez dans un quart d'heure.".into(),
        ));
    }
    password_matches(state, &user.email, password).await
}
