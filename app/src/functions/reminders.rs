//! Automatic reminders: the business's policy, and « Ne pas relancer cette facture ».

use crate::error::AppError;
pub use crate::views::reminders::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn view_of(policy: crate::domain::reminders::ReminderPolicy) -> ReminderSettingsView {
    ReminderSettingsView { enabled: policy.enabled, steps: policy.steps_input() }
}

#[server(endpoint = "reminder_settings")]
pub async fn reminder_settings() -> Result<ReminderSettingsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(view_of(crate::services::reminders::policy(&state, user.business_id).await?))
        }
        .await,
    )
}

#[server(endpoint = "save_reminder_settings")]
pub async fn save_reminder_settings(
    #[server(default)] enabled: bool,
    steps: String,
) -> Result<ReminderSettingsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let saved =
                crate::services::reminders::save_policy_text(&state, user.business_id, enabled, &steps)
                    .await?;
            Ok(view_of(saved))
        }
        .await,
    )
}

/// « Ne pas relancer cette facture » (`enabled` false), or « Reprendre les relances ».
#[server(endpoint = "set_invoice_reminders")]
pub async fn set_invoice_reminders(id: i64, #[server(default)] enabled: bool) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::reminders::set_for_invoice(&state, user.business_id, id, enabled).await
        }
        .await,
    )
}
