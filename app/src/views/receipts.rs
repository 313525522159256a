//! The livre des recettes.

use crate::domain::Date;
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
    /// « Virement », « Carte en ligne »… (« … (test) » for a test payment).
    pub method: String,
    /// A test payment (sandbox): no real money moved.
    pub test: bool,
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
