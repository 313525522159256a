//! « Paramètres › API »: the business's REST API keys.

use crate::error::AppError;
pub use crate::views::api_keys::*;
use leptos::prelude::*;

#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyView>, AppError> {
    use super::context::*;
    use crate::domain::Date;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let keys = crate::services::api_keys::list(&state, user.business_id).await?;
            Ok(keys
                .into_iter()
                .map(|k| ApiKeyView {
                    id: k.id,
                    name: k.name,
                    prefix: k.prefix,
                    created: Date::from_unix(k.created_at).french(),
                    last_used: k.last_used_at.map(|t| Date::from_unix(t).french()),
                })
                .collect())
        }
        .await,
    )
}

#[server(endpoint = "create_api_key")]
pub async fn create_api_key(name: String) -> Result<NewApiKey, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let (id, key) = crate::services::api_keys::create(&state, user.business_id, &name).await?;
            Ok(NewApiKey { id, key })
        }
        .await,
    )
}

#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::api_keys::revoke(&state, user.business_id, id).await
        }
        .await,
    )
}
