//! What the dashboard and the livre des recettes read, and the refunds that feed them.

use super::{InvoiceId, InvoiceRecord};
use crate::domain::{InvoiceStatus, Money};

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
    /// Negative for a refund.
    pub amount: Money,
    pub revenue_ht: Money,
    pub fee: Money,
    /// A payment method code (`online_card` for the pay link).
    pub method: String,
    /// On a refund: the credit note it follows, if any.
    pub credit_note_number: Option<String>,
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

/// Money given back to a client after a credit note on an invoice already paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundRecord {
    pub amount: Money,
    pub revenue_ht: Money,
    pub operation: String,
    pub method: String,
    pub refunded_on: String,
    /// The credit note that made the refund owed.
    pub credit_note_id: Option<InvoiceId>,
}

impl RefundRecord {
    /// Gives back what a payment of `amount` on `invoice` brought in: the same revenue share
    /// and nature.
    pub fn on(invoice: &InvoiceRecord, amount: Money, method: &str, refunded_on: String) -> Self {
        let paid = super::PaymentRecord::on(invoice, amount, method, refunded_on);
        Self {
            amount,
            revenue_ht: paid.revenue_ht,
            operation: paid.operation,
            method: paid.method,
            refunded_on: paid.received_on,
            credit_note_id: None,
        }
    }
}
