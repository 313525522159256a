//! What the dashboard and the livre des recettes read.

use super::{BusinessId, InvoiceId, StoreError};
use crate::domain::{InvoiceStatus, Money};
use async_trait::async_trait;

/// Money received in one month for one nature of operation, refunds deducted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRevenue {
    /// `2026-11`.
    pub month: String,
    /// An [`crate::domain::OperationNature`] code.
    pub operation: String,
    /// Gross, as received.
    pub received: Money,
    /// Platform fees on online payments.
    pub fees: Money,
    /// Revenue excluding VAT: what is declared.
    pub revenue_ht: Money,
}

/// One line of the livre des recettes: a payment, or a refund (negative amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    /// When the money came in (or went back), ISO.
    pub date: String,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub client: String,
    /// An [`crate::domain::OperationNature`] code.
    pub operation: String,
    /// The invoice's first line, to say what was sold.
    pub description: String,
    /// How many lines the invoice has, so the register can say the first is not all.
    pub line_count: i64,
    /// Negative for a refund.
    pub amount: Money,
    pub revenue_ht: Money,
    pub fee: Money,
    /// A payment method code (`online_card` for the pay link).
    pub method: String,
    /// On a refund: the credit note it follows, if any.
    pub credit_note_number: Option<String>,
    /// A test payment (sandbox): no real money moved.
    pub test: bool,
}

/// Money expected: what issued invoices still owe, and the part past its due date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AmountsDue {
    pub outstanding: Money,
    pub overdue: Money,
}

/// How many documents are in a status, and what they weigh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    pub status: InvoiceStatus,
    pub count: i64,
    pub total: Money,
}

/// An issued invoice still waiting for money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvoice {
    pub id: InvoiceId,
    pub number: String,
    pub client: String,
    pub due_date: String,
    pub due: Money,
}

/// The read side of the dashboard and the livre des recettes.
#[async_trait]
pub trait TreasuryStore: Send + Sync {
    /// What issued invoices still owe, and the part due before `today` (ISO).
    async fn amounts_due(&self, business_id: BusinessId, today: &str) -> Result<AmountsDue, StoreError>;

    /// Money received from `from` to `to` (ISO, inclusive), refunds deducted.
    async fn received_between(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Money, StoreError>;

    /// Revenue received from `from` to `to` (ISO, inclusive), by month and nature of operation.
    async fn revenue_by_month(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthRevenue>, StoreError>;

    /// The livre des recettes from `from` to `to`: payments and refunds by date, oldest first,
    /// or the `newest` ones first.
    async fn receipt_lines(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
        newest: Option<i64>,
    ) -> Result<Vec<ReceiptLine>, StoreError>;

    /// Documents by stored status (invoices only).
    async fn invoice_counts(&self, business_id: BusinessId) -> Result<Vec<StatusCount>, StoreError>;

    /// Issued invoices with money still due, earliest due date first.
    async fn next_due(&self, business_id: BusinessId, limit: i64) -> Result<Vec<DueInvoice>, StoreError>;
}
