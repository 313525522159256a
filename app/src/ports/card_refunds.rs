//! Refunds to a client's card, asked of the payment provider from Reglo and settled by its
//! webhook: the record that makes each one count once in the livre des recettes.

use super::{BusinessId, InvoiceId, OnlinePaymentOutcome, OutgoingEmail, RefundRecord, StoreError};
use crate::domain::{Money, SettlementChange};
use async_trait::async_trait;

/// Where a card refund stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardRefundStatus {
    /// Asked; the provider's webhook will tell how it ended.
    Pending,
    /// The money is on its way back to the card, and in the livre des recettes.
    Succeeded,
    /// The card could not take it back (closed, lost): the client must be refunded otherwise.
    Failed,
}

impl CardRefundStatus {
    pub fn code(self) -> &'static str {
        match self {
            CardRefundStatus::Pending => "pending",
            CardRefundStatus::Succeeded => "succeeded",
            CardRefundStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [CardRefundStatus::Pending, CardRefundStatus::Succeeded, CardRefundStatus::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A card refund of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRefund {
    /// The provider's refund id (`re_…`).
    pub id: String,
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    /// The card payment it gives back (part of).
    pub payment_intent: String,
    pub amount: Money,
    /// The platform fee given back with it.
    pub fee: Money,
    pub status: CardRefundStatus,
    pub failure_reason: Option<String>,
    pub requested_at: i64,
}

#[async_trait]
pub trait CardRefundStore: Send + Sync {
    /// Records a refund just asked of the provider; recording the same one again changes nothing.
    async fn add_card_refund(&self, refund: &CardRefund, now: i64) -> Result<(), StoreError>;

    /// The card refunds of an invoice, oldest first.
    async fn card_refunds(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CardRefund>, StoreError>;

    /// One card refund by the provider's id, whichever business it is (what a webhook names).
    async fn card_refund(&self, id: &str) -> Result<Option<CardRefund>, StoreError>;

    /// In one transaction, once per refund: the refund marked succeeded, the livre des recettes'
    /// negative line, the invoice's `change` (computed by [`crate::domain::Settlement::refund`]),
    /// its timeline entry and the e-mails. `AlreadyRecorded` when it no longer is pending.
    async fn settle_card_refund(
        &self,
        id: &str,
        refund: &RefundRecord,
        change: &SettlementChange,
        emails: &[OutgoingEmail],
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError>;

    /// Marks a pending refund failed, with the provider's reason, and notes it on the invoice's
    /// timeline. `false` when it was no longer pending.
    async fn fail_card_refund(&self, id: &str, reason: &str, now: i64) -> Result<bool, StoreError>;
}
