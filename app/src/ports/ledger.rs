//! Payments and refunds.

use super::{BusinessId, InvoiceId, InvoiceRecord, OutgoingEmail, StoreError};
use crate::domain::{HistoryEvent, Money, SettlementChange};
use async_trait::async_trait;

/// A payment received on an invoice.
#[derive(Debug, Clone, Default)]
pub struct PaymentRecord {
    /// Gross: what the client paid.
    pub amount: Money,
    /// A [`crate::domain::PaymentMethod`] code, or `online_card`.
    pub method: String,
    pub received_on: String,
    /// The platform fee kept on an online payment (zero otherwise).
    pub fee: Money,
    /// Stripe's Checkout Session and PaymentIntent, for an online payment.
    pub provider_session_id: Option<String>,
    pub provider_payment_id: Option<String>,
    /// The part of `amount` that is revenue excluding VAT (what is declared).
    pub revenue_ht: Money,
    /// The invoice's nature of operation (an [`crate::domain::OperationNature`] code).
    pub operation: String,
    /// Taken in the sandbox or Stripe's test mode: no real money moved.
    pub test: bool,
}

impl PaymentRecord {
    /// A payment of `amount` on `invoice`, with its revenue share and nature taken from it.
    pub fn on(invoice: &InvoiceRecord, amount: Money, method: &str, received_on: String) -> Self {
        Self {
            amount,
            method: method.into(),
            received_on,
            revenue_ht: crate::domain::declaration::revenue_excluding_vat(
                amount,
                invoice.total_ht,
                invoice.total_ttc,
            ),
            operation: invoice.content.operation.clone(),
            ..Default::default()
        }
    }
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
        let paid = PaymentRecord::on(invoice, amount, method, refunded_on);
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

/// A card payment and what it does, as the service computed it from the invoice as read.
#[derive(Debug, Clone)]
pub struct OnlineSettlement<'a> {
    pub payment: &'a PaymentRecord,
    pub change: SettlementChange,
    /// The timeline entry: the payment, or money kept anyway and flagged for a refund.
    pub event: HistoryEvent,
    /// Queued with the payment (none for money that was not due).
    pub receipts: &'a [OutgoingEmail],
}

/// What recording an online payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlinePaymentOutcome {
    /// This Checkout Session's payment was already recorded: nothing changed.
    AlreadyRecorded,
    /// Recorded, with its change to the invoice.
    Recorded,
    /// The invoice changed since it was read: nothing was written; read it again and retry.
    Changed,
}

/// Money received and given back: payments by hand and online, refunds.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Records a payment by hand with the invoice's `change` (computed by
    /// [`crate::domain::Settlement::pay`]) and its timeline entry, in one transaction.
    /// `Ok(false)` when the invoice changed since it was read: nothing was written.
    async fn record_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// In one transaction: the payment (once per Checkout Session), the invoice's change, the
    /// attempt marked complete, the timeline entry, and the receipts queued.
    async fn record_online_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        settled: &OnlineSettlement<'_>,
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError>;

    /// The payments of an invoice, oldest first.
    async fn payments(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<PaymentRecord>, StoreError>;

    /// Records a refund with the invoice's `change` (computed by
    /// [`crate::domain::Settlement::refund`]) and its timeline entry, in one transaction.
    /// `Ok(false)` when the invoice changed since it was read: nothing was written.
    async fn record_refund(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        refund: &RefundRecord,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// The refunds of an invoice, oldest first.
    async fn refunds(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<RefundRecord>, StoreError>;
}
