//! « Paramètres › Entreprise »: the business profile and its logo.

use crate::domain::BusinessProfileInput;
use crate::error::AppError;
pub use crate::views::business::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn view_of(record: crate::ports::BusinessRecord) -> BusinessProfileView {
    BusinessProfileView {
        profile: record.profile,
        profile_complete: record.profile_complete,
        logo_url: record.logo_file.as_deref().map(crate::services::business::logo_url),
    }
}

#[server(endpoint = "business_profile")]
pub async fn load_business_profile() -> Result<BusinessProfileView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(view_of(crate::services::business::record(&state, user.business_id).await?))
        }
        .await,
    )
}

#[server(endpoint = "save_business_profile", input = Json)]
pub async fn save_business_profile(
    profile: BusinessProfileInput,
    #[server(default)] current_password: Option<String>,
) -> Result<BusinessProfileView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let saver = crate::services::business::Saver::Owner {
                email: &user.email,
                password: current_password.as_deref().filter(|p| !p.is_empty()),
            };
            Ok(view_of(
                crate::services::business::save_profile(&state, user.business_id, &profile, saver).await?,
            ))
        }
        .await,
    )
}

#[server(endpoint = "remove_logo")]
pub async fn remove_logo() -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::business::remove_logo(&state, user.business_id).await
        }
        .await,
    )
}
