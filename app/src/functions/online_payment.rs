//! « Paramètres › Paiements »: accepted methods and online card payment.

use crate::error::AppError;
pub use crate::views::online_payment::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
async fn view(
    state: &crate::state::AppState,
    business_id: crate::ports::BusinessId,
) -> Result<PaymentSettingsView, AppError> {
    let online = crate::services::online_payment::state(state, business_id).await?;
    Ok(PaymentSettingsView {
        default_methods: online.default_methods,
        status: online.account.status,
        requirements: crate::domain::online_payment::requirement_labels(&online.account.requirements),
        dashboard_url: online.dashboard_url,
        fee_bp: online.fee_bp,
        mode: online.mode,
    })
}

#[server(endpoint = "payment_settings")]
pub async fn payment_settings() -> Result<PaymentSettingsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            view(&state, user.business_id).await
        }
        .await,
    )
}

/// Asks Stripe again where the account stands (« Actualiser »).
#[server(endpoint = "refresh_online_payment")]
pub async fn refresh_online_payment() -> Result<PaymentSettingsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::online_payment::refresh_business(&state, user.business_id).await?;
            view(&state, user.business_id).await
        }
        .await,
    )
}

#[server(endpoint = "save_default_payment_methods", input = Json)]
pub async fn save_default_payment_methods(methods: Vec<String>) -> Result<PaymentSettingsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::online_payment::save_default_methods(&state, user.business_id, &methods).await?;
            view(&state, user.business_id).await
        }
        .await,
    )
}
