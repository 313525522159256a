//! The business profile and its logo.

use crate::domain::{BusinessProfileInput, LogoFormat};
use crate::error::AppError;
use crate::ports::{BusinessId, BusinessRecord};
use crate::state::AppState;
use sha2::{Digest, Sha256};

/// The business, its identifiers spelled for reading (stores keep them compact).
pub async fn record(state: &AppState, business_id: BusinessId) -> Result<BusinessRecord, AppError> {
    let mut record = state.store.business(business_id).await?;
    if let Ok(profile) = record.profile.validate() {
        record.profile = profile.to_input();
    }
    Ok(record)
}

/// Validates and saves the profile; invalid input is refused whole and changes nothing.
/// Who asks to save the profile: the logged-in owner, with the password typed if they typed
/// one, or an integration through an API key.
pub enum Saver<'a> {
    Owner { email: &'a str, password: Option<&'a str> },
    ApiKey,
}

/// Saves the profile. Replacing an IBAN (where clients' money goes) takes the owner's password,
/// never an API key alone, and the account's address is told of it.
pub async fn save_profile(
    state: &AppState,
    business_id: BusinessId,
    input: &BusinessProfileInput,
    saver: Saver<'_>,
) -> Result<BusinessRecord, AppError> {
    let profile = input.validate()?;
    let before = state.store.business(business_id).await?.profile.iban;
    let after = profile.iban.as_ref().map(|i| i.to_string()).unwrap_or_default();
    let iban_replaced = crate::domain::business_profile::replaces_iban(&before, &after);
    if iban_replaced {
        let refused = |message: &str| {
            let mut errors = crate::domain::FieldErrors::default();
            errors.push("current_password", message);
            AppError::from(errors)
        };
        match saver {
            Saver::ApiKey => {
                return Err(AppError::Refused(
                    "L'IBAN ne se change pas par l'API : changez-le dans Paramètres › Entreprise (mot de passe demandé)."
                        .into(),
                ))
            }
            Saver::Owner { password: None, .. } => {
                return Err(refused("Saisissez votre mot de passe pour changer d'IBAN."))
            }
            Saver::Owner { email, password: Some(password) } => {
                if !super::accounts::password_matches(state, email, password).await? {
                    return Err(refused("Mot de passe incorrect : l'IBAN n'a pas été changé."));
                }
            }
        }
    }
    state.store.save_profile(business_id, &profile, state.now()).await?;
    tracing::info!(business_id, iban_replaced, "business profile saved");
    if iban_replaced {
        super::account_emails::notify_iban_change(state, business_id, &before, &after).await?;
    }
    record(state, business_id).await
}

/// Stores a new logo under the data dir, named after its content, and forgets the old one.
pub async fn set_logo(state: &AppState, business_id: BusinessId, bytes: &[u8]) -> Result<(), AppError> {
    let format = LogoFormat::detect(bytes).map_err(|e| AppError::Refused(e.message().into()))?;
    let digest = Sha256::digest(bytes);
    let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let file = format!("{name}.{}", format.extension());
    let dir = state.settings.logo_dir();
    tokio::fs::create_dir_all(&dir).await.map_err(|e| super::internal("creating logo dir", e))?;
    tokio::fs::write(dir.join(&file), bytes).await.map_err(|e| super::internal("writing logo", e))?;
    let previous = state.store.set_logo(business_id, Some(&file), state.now()).await?;
    remove_unused(state, previous, &file).await;
    Ok(())
}

pub async fn remove_logo(state: &AppState, business_id: BusinessId) -> Result<(), AppError> {
    let previous = state.store.set_logo(business_id, None, state.now()).await?;
    remove_unused(state, previous, "").await;
    Ok(())
}

/// Deletes the replaced file unless it is the new one. Two businesses uploading the same image
/// share a name, so a logo still in use elsewhere is only removed from this business.
async fn remove_unused(state: &AppState, previous: Option<String>, current: &str) {
    if let Some(old) = previous.filter(|old| old != current) {
        if !state.store.logo_in_use(&old).await.unwrap_or(true) {
            let _ = tokio::fs::remove_file(state.settings.logo_dir().join(old)).await;
        }
    }
}

/// Where the browser fetches a logo file.
pub fn logo_url(file: &str) -> String {
    format!("/media/logos/{file}")
}
