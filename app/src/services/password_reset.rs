//! « Mot de passe oublié ? »: a link e-mailed to the account's address sets a new password.
//!
//! The link is `{public_url}/mot-de-passe/{business}-{expires}-{mac}`, the MAC (HMAC-SHA256 under
//! the server key) covering the business, its login address, the expiry and the current password
//! hash. Nothing is stored, so no usable token can leak from the database; a link works for one
//! hour, and once used the password hash changes, which kills it and every earlier one. Asking
//! for a link answers the same whether the address has an account or not.

use super::account_emails::{genuine, plain, queue, read_token};
use super::{password, session_cookie};
use crate::domain::{Email, FieldErrors, Password};
use crate::error::AppError;
use crate::ports::{BusinessId, Credentials};
use crate::state::{AppState, SecretKey};

/// How long a link works.
const VALID_FOR: i64 = 3600;
/// Links one address may receive per hour, so asking cannot flood a mailbox.
const LINKS_PER_HOUR: u32 = 3;
/// Requests one client may make per hour, whatever the addresses.
const REQUESTS_PER_HOUR: u32 = 20;

fn mac(key: &SecretKey, business_id: BusinessId, email: &str, expires: i64, hash: &str) -> String {
    key.mac(&[format!("reglo password reset v1:{business_id}:{expires}:{email}:{hash}").as_bytes()])
}

/// Queues a link to `email`'s account, if it has one.
pub async fn request(state: &AppState, email: &str, client_ip: &str) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let Some(email) = errors.check("email", Email::parse(email)) else { return Err(errors.into()) };
    let now = state.now();
    if !state.limits.allow(&format!("password-reset-from:{client_ip}"), REQUESTS_PER_HOUR, 3600, now).await {
        return Err(AppError::TooManyAttempts(
            "Trop de demandes depuis cette connexion : réessayez dans une heure.".into(),
        ));
    }
    let Some(account) = state.store.find_credentials(email.as_str()).await? else { return Ok(()) };
    if !state.limits.allow(&format!("password-reset-to:{}", account.user_id), LINKS_PER_HOUR, 3600, now).await
    {
        return Ok(());
    }
    let expires = now + VALID_FOR;
    let token = format!(
        "{}-{expires}-{}",
        account.business_id,
        mac(
            &state.settings.secret_key,
            account.business_id,
            email.as_str(),
            expires,
            &account.password_hash.0
        )
    );
    let url = format!("{}/mot-de-passe/{token}", state.settings.public_url);
    let message = plain(
        email.as_str(),
        "Choisissez un nouveau mot de passe — Reglo",
        &[
            "Bonjour,".into(),
            "Vous avez demandé à changer le mot de passe de votre compte Reglo. Ce lien est valable une heure \
             et ne sert qu'une fois ; une fois le mot de passe changé, tous vos appareils sont déconnectés."
                .into(),
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.".into(),
        ],
        Some(("Choisir un nouveau mot de passe", &url)),
    );
    tracing::info!(user_id = account.user_id, "password reset link queued");
    queue(state, account.business_id, &message).await
}

const DEAD_LINK: &str = "Ce lien ne fonctionne plus : il a déjà servi, ou plus d'une heure a passé. \
                         Demandez-en un nouveau.";

/// The account a link opens, while it works, with its login address.
async fn account_of(state: &AppState, token: &str) -> Result<Option<(Credentials, String)>, AppError> {
    let Some((business_id, expires, given)) = read_token(token, state.now()) else { return Ok(None) };
    let Some(address) = state.store.account_email(business_id).await? else { return Ok(None) };
    let Some(account) = state.store.find_credentials(&address.email).await? else { return Ok(None) };
    let key = &state.settings.secret_key;
    let expected = mac(key, business_id, &address.email, expires, &account.password_hash.0);
    Ok((account.business_id == business_id && genuine(&expected, given)).then_some((account, address.email)))
}

/// Whether the page may offer the form: `Err` says why not.
pub async fn check(state: &AppState, token: &str) -> Result<(), AppError> {
    match account_of(state, token).await? {
        Some(_) => Ok(()),
        None => Err(AppError::Refused(DEAD_LINK.into())),
    }
}

/// Sets the new password and closes every session of the account. The link proved the address
/// is the owner's: it counts as confirmed.
pub async fn reset(state: &AppState, token: &str, new: &str, confirm: &str) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let password = errors.check("password", Password::parse(new));
    if password.is_some() && new != confirm {
        errors.push("password_confirm", "Les deux mots de passe ne sont pas identiques.");
    }
    let Some(password) = password.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
    let Some((account, email)) = account_of(state, token).await? else {
        return Err(AppError::Refused(DEAD_LINK.into()));
    };
    // Once only, even for two submissions at the same instant (on any instance).
    let once = format!("password-reset-used:{}", session_cookie::hash_token(token));
    if !state.limits.allow(&once, 1, VALID_FOR, state.now()).await {
        return Err(AppError::Refused(DEAD_LINK.into()));
    }
    let hash = password::hash(password).await?;
    state.store.change_password(account.user_id, &hash, "").await?;
    state.streams.close_user(account.user_id, None);
    state.store.confirm_email(account.business_id, &email, state.now()).await?;
    tracing::info!(user_id = account.user_id, "password reset by e-mailed link, every session closed");
    Ok(())
}
