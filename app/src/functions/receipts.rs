//! « Livre des recettes »: the register of money received, by period.

use crate::error::AppError;
pub use crate::views::receipts::*;
use leptos::prelude::*;

/// The register from `from` to `to` (ISO dates; empty means this year so far).
#[server(endpoint = "receipts")]
pub async fn receipts(from: String, to: String) -> Result<ReceiptsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let period = crate::services::receipts::period(
                crate::services::invoices::today(&state),
                &from,
                &to,
                crate::services::receipts::MAX_YEARS,
            )?;
            crate::services::receipts::register(&state, user.business_id, period).await
        }
        .await,
    )
}
