//! Sign-up, log-in, log-out and session look-up.

use super::{password, session_cookie};
use crate::domain::login_throttle::{french_wait, ThrottleKey};
use crate::domain::{BusinessProfileInput, Email, FieldErrors, Password};
use crate::error::AppError;
use crate::ports::{SessionUser, StoreError};
use crate::state::AppState;

/// Deliberately the same whether the e-mail is unknown or the password wrong.
pub const BAD_CREDENTIALS: &str = "E-mail ou mot de passe incorrect.";

/// A new session: the user and the token to put in the cookie.
pub struct NewSession {
    pub user: SessionUser,
    pub token: String,
}

/// Signs up and logs in.
pub async fn sign_up(
    state: &AppState,
    email: &str,
    password: &str,
    confirm: &str,
) -> Result<NewSession, AppError> {
    let user = create_account(state, email, password, confirm).await?;
    open_session(state, user).await
}

/// Creates a user and their business, without logging in (also used by `reglo user create`).
pub async fn create_account(
    state: &AppState,
    email: &str,
    password: &str,
    confirm: &str,
) -> Result<SessionUser, AppError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(email));
    let password = errors.check("password", Password::parse(password));
    if password.is_some() && password.as_ref().map(Password::expose) != Some(confirm) {
        errors.push("password_confirm", "Les deux mots de passe ne sont pas identiques.");
    }
    let (Some(email), Some(password)) = (email, password) else { return Err(errors.into()) };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = password::hash(password).await?;
    let user = match state
        .store
        .create_account(&email, &hash, &BusinessProfileInput::new_business_defaults(), state.now())
        .await
    {
        Ok(user) => user,
        Err(StoreError::Conflict(_)) => return Err(AppError::Refused(
            "Impossible de créer un compte avec cette adresse. Si vous avez déjà un compte, connectez-vous."
                .into(),
        )),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user_id = user.user_id, business_id = user.business_id, "account created");
    Ok(user)
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
    if !password::verify(password.to_owned(), hash).await {
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
    Ok(state.store.delete_session(&session_cookie::hash_token(token)).await?)
}

/// The user behind a session token, if the session is still valid.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<SessionUser>, AppError> {
    Ok(state.store.find_session(&session_cookie::hash_token(token), state.now()).await?)
}
