//! REST API keys: `rgl_` and 256 random bits, shown once, stored as a SHA-256 hash.

use super::session_cookie::{hash_token, new_token};
use crate::error::AppError;
use crate::ports::{ApiKeyRecord, BusinessId, StoreError};
use crate::state::AppState;

const PREFIX: &str = "rgl_";

/// Creates a key and returns it in clear, the only time it is seen.
pub async fn create(
    state: &AppState,
    business_id: BusinessId,
    name: &str,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.chars().count() > 80 {
        let mut errors = crate::domain::FieldErrors::default();
        errors.push("name", "80 caractères au maximum.");
        return Err(errors.into());
    }
    let name = if name.is_empty() { "Clé d'API" } else { name };
    let key = format!("{PREFIX}{}", new_token());
    let shown = &key[..PREFIX.len() + 8];
    let id = state.store.create_api_key(business_id, name, shown, &hash_token(&key), state.now()).await?;
    tracing::info!(business_id, key_id = id, "API key created");
    Ok((id, key))
}

pub async fn list(state: &AppState, business_id: BusinessId) -> Result<Vec<ApiKeyRecord>, AppError> {
    Ok(state.store.api_keys(business_id).await?)
}

pub async fn revoke(state: &AppState, business_id: BusinessId, id: i64) -> Result<(), AppError> {
    state.store.revoke_api_key(business_id, id, state.now()).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound("Cette clé n'existe pas ou a déjà été révoquée.".into()),
        other => other.into(),
    })?;
    tracing::info!(business_id, key_id = id, "API key revoked");
    Ok(())
}

/// The business behind an `Authorization: Bearer …` value.
pub async fn authenticate(state: &AppState, bearer: &str) -> Result<BusinessId, AppError> {
    let key = bearer.trim();
    if !key.starts_with(PREFIX) || key.len() != PREFIX.len() + 64 {
        return Err(AppError::Unauthorized);
    }
    state.store.find_api_key(&hash_token(key), state.now()).await?.ok_or(AppError::Unauthorized)
}
