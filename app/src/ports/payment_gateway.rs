//! The payment provider: Stripe, or the embedded sandbox, reached through the same client.

use super::{BusinessId, InvoiceId};
use crate::domain::{Money, OnlineStatus, ProviderMode};
use async_trait::async_trait;
use std::collections::HashMap;

/// A connected account, as the provider describes it.
#[derive(Debug, Clone)]
pub struct ProviderAccount {
    pub id: String,
    pub charges_enabled: bool,
    pub details_submitted: bool,
    pub currently_due: Vec<String>,
    pub pending_verification: Vec<String>,
}

impl ProviderAccount {
    pub fn status(&self) -> OnlineStatus {
        OnlineStatus::from_account(self.charges_enabled, self.details_submitted, &self.currently_due)
    }

    /// What is still required: due first, then what is being verified.
    pub fn requirements(&self) -> Vec<String> {
        self.currently_due.iter().chain(&self.pending_verification).cloned().collect()
    }
}

/// A Checkout Session to create on the connected account.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub account_id: String,
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    /// What the client pays now: the amount still due.
    pub amount: Money,
    pub application_fee: Money,
    /// The line shown on Checkout, e.g. « Facture F-2026-0001 ».
    pub description: String,
    pub customer_email: Option<String>,
    pub success_url: String,
    pub cancel_url: String,
    /// Unix time when Checkout stops accepting the payment.
    pub expires_at: i64,
    /// Makes a retried request create the session once.
    pub idempotency_key: String,
}

/// A Checkout Session as the provider describes it.
#[derive(Debug, Clone)]
pub struct ProviderCheckoutSession {
    pub id: String,
    pub url: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: String,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    pub amount_total: i64,
    pub currency: String,
    pub payment_intent: Option<String>,
    pub client_reference_id: Option<String>,
    pub metadata: HashMap<String, String>,
    pub expires_at: i64,
    /// False in the sandbox and in Stripe's test mode: no real money moved.
    pub livemode: bool,
}

/// A refund of (part of) a card payment, on the connected account it was made on.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub account_id: String,
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    /// The PaymentIntent of the card payment to refund.
    pub payment_intent: String,
    pub amount: Money,
    /// Makes a retried request (a double click) create the refund once.
    pub idempotency_key: String,
}

/// A refund as the provider describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRefund {
    pub id: String,
    pub amount: i64,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `canceled`.
    pub status: String,
    pub payment_intent: Option<String>,
    /// Why it failed (`expired_or_canceled_card`, `lost_or_stolen_card`, …).
    pub failure_reason: Option<String>,
    /// What Reglo put on it: `business_id` and `invoice_id`.
    pub metadata: HashMap<String, String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    /// The provider refused the request (its message, for the logs).
    #[error("refused by the payment provider: {0}")]
    Refused(String),
    /// The provider could not be reached or answered something unreadable.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
}

/// Stripe Connect, through async-stripe: the same code talks to Stripe or to the sandbox.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// Creates a connected account whose Stripe fees the platform pays; the same
    /// `idempotency_key` gives the same account (two « Configurer » at once make one).
    async fn create_account(
        &self,
        email: &str,
        business_name: &str,
        idempotency_key: &str,
    ) -> Result<ProviderAccount, GatewayError>;

    async fn account(&self, account_id: &str) -> Result<ProviderAccount, GatewayError>;

    /// A one-time onboarding link.
    async fn account_link(
        &self,
        account_id: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, GatewayError>;

    async fn create_checkout_session(
        &self,
        request: &CheckoutRequest,
    ) -> Result<ProviderCheckoutSession, GatewayError>;

    async fn checkout_session(
        &self,
        account_id: &str,
        session_id: &str,
    ) -> Result<ProviderCheckoutSession, GatewayError>;

    async fn expire_checkout_session(
        &self,
        account_id: &str,
        session_id: &str,
    ) -> Result<ProviderCheckoutSession, GatewayError>;

    /// Refunds `amount` of a card payment to the card, and the platform fee in proportion.
    async fn create_refund(&self, request: &RefundRequest) -> Result<ProviderRefund, GatewayError>;

    async fn refund(&self, account_id: &str, refund_id: &str) -> Result<ProviderRefund, GatewayError>;

    /// The refunds of a charge (what a `charge.refunded` event is about).
    async fn charge_refunds(
        &self,
        account_id: &str,
        charge_id: &str,
    ) -> Result<Vec<ProviderRefund>, GatewayError>;

    /// Where the entrepreneur manages their account (payouts, refunds, disputes).
    fn dashboard_url(&self, account_id: &str) -> String;

    /// Stripe, a stand-in where no real money moves, or no provider at all.
    fn mode(&self) -> ProviderMode;

    /// Where Checkout pages are served (`scheme://host[:port]`): the pay page's form may send the
    /// client there.
    fn checkout_origin(&self) -> String;
}
