//! « Tableau de bord »: money received and money expected, the URSSAF declaration and the
//! ceilings.

use crate::domain::DeclarationFrequency;
use crate::error::AppError;
pub use crate::views::dashboard::*;
use leptos::prelude::*;

#[server(endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::dashboard::summary(&state, user.business_id).await
        }
        .await,
    )
}

/// Saves how often the business declares its revenue to the URSSAF.
#[server(endpoint = "set_declaration_frequency")]
pub async fn set_declaration_frequency(frequency: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::dashboard::set_frequency(&state, user.business_id, &frequency).await
        }
        .await,
    )
}

#[server(endpoint = "declaration_frequency")]
pub async fn get_declaration_frequency() -> Result<DeclarationFrequency, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::dashboard::frequency(&state, user.business_id).await
        }
        .await,
    )
}
