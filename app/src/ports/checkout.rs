//! Checkout attempts.

use super::{BusinessId, InvoiceId, StoreError};
use crate::domain::Money;
use async_trait::async_trait;

/// A Checkout Session started from a pay page, as the store keeps it.
#[derive(Debug, Clone)]
pub struct CheckoutAttempt {
    pub session_id: String,
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    pub account_id: String,
    pub amount: Money,
    pub fee: Money,
    pub url: String,
    pub status: AttemptStatus,
    pub failure: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
}

/// Where a Checkout attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// The client may still pay on it.
    Open,
    /// Paid: its payment is recorded.
    Complete,
    /// Expired by Stripe, or by us once the amount due changed.
    Expired,
    /// The payment failed (an asynchronous method was refused).
    Failed,
}

impl AttemptStatus {
    pub const ALL: [AttemptStatus; 4] =
        [AttemptStatus::Open, AttemptStatus::Complete, AttemptStatus::Expired, AttemptStatus::Failed];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            AttemptStatus::Open => "open",
            AttemptStatus::Complete => "complete",
            AttemptStatus::Expired => "expired",
            AttemptStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Checkout Sessions started from pay pages.
#[async_trait]
pub trait CheckoutStore: Send + Sync {
    /// Numbers a request for a Checkout Session before it is sent: the number, unique and never
    /// reused, makes its idempotency key.
    async fn new_checkout_request(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        now: i64,
    ) -> Result<i64, StoreError>;

    /// Keeps a Checkout Session just created; saving the same session twice keeps the first.
    async fn save_checkout_attempt(&self, attempt: &CheckoutAttempt) -> Result<(), StoreError>;

    /// The invoice's Checkout attempts, newest first.
    async fn checkout_attempts(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CheckoutAttempt>, StoreError>;

    /// The attempt a Checkout Session belongs to, whatever its business.
    async fn checkout_attempt(&self, session_id: &str) -> Result<Option<CheckoutAttempt>, StoreError>;

    /// Marks an attempt expired or failed (never one already complete), with the timeline.
    async fn close_checkout_attempt(
        &self,
        session_id: &str,
        status: AttemptStatus,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Attempts still open and not looked at for `older_than` seconds, noted as looked at
    /// `now` (so each is re-fetched at most once per period).
    async fn stale_checkout_attempts(
        &self,
        now: i64,
        older_than: i64,
        limit: i64,
    ) -> Result<Vec<CheckoutAttempt>, StoreError>;
}
