//! « Livre des recettes »: the register of money received, by period.

use crate::domain::Date;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the register, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub date: Date,
    pub invoice_id: i64,
    /// The invoice's number (a refund names its credit note in `nature`).
    pub invoice_number: String,
    pub client: String,
    /// « Prestation de services — Site vitrine », « Remboursement (avoir AV-2026-0001) ».
    pub nature: String,
    /// Negative for a refund.
    pub amount_cents: i64,
    pub fee_cents: i64,
    /// « Virement », « Carte en ligne »…
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptsView {
    /// Today in Paris, for the quick period choices.
    pub today: Date,
    pub from: Date,
    pub to: Date,
    pub lines: Vec<ReceiptView>,
    pub total_cents: i64,
}

/// The register from `from` to `to` (ISO dates; empty means this year so far).
#[server(endpoint = "receipts")]
pub async fn receipts(from: String, to: String) -> Result<ReceiptsView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let period = crate::services::receipts::period(&from, &to)?;
            crate::services::receipts::register(&state, user.business_id, period).await
        }
        .await,
    )
}
