//! Stripe webhook events waiting to be applied.

use super::StoreError;
use async_trait::async_trait;

/// A verified webhook event, kept until applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeEvent {
    pub id: String,
    pub endpoint: WebhookEndpoint,
    pub event_type: String,
    /// The connected account it concerns (Connect events).
    pub account: Option<String>,
    /// The id of `data.object`, re-fetched before acting.
    pub object_id: String,
    pub attempts: i64,
}

/// An event given up on, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideEvent {
    pub event: StripeEvent,
    pub last_error: Option<String>,
    pub set_aside_at: i64,
}

/// Which of our two webhook endpoints received an event, each with its own secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookEndpoint {
    /// `/webhooks/stripe`: the platform's own events.
    Platform,
    /// `/webhooks/stripe/connect`: the connected accounts' events.
    Connect,
}

impl WebhookEndpoint {
    /// The code stored in the database and logged.
    pub fn code(self) -> &'static str {
        match self {
            WebhookEndpoint::Platform => "platform",
            WebhookEndpoint::Connect => "connect",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [WebhookEndpoint::Platform, WebhookEndpoint::Connect].into_iter().find(|e| e.code() == code)
    }
}

/// Verified Stripe webhook events, kept until a worker has applied them.
#[async_trait]
pub trait WebhookInbox: Send + Sync {
    /// Keeps a verified webhook event; `false` when its id was already stored.
    async fn store_stripe_event(&self, event: &StripeEvent, now: i64) -> Result<bool, StoreError>;

    /// Takes up to `limit` events not yet applied and due at `now`, leasing them until
    /// `lease_until` (a crash leaves them to be taken again).
    async fn claim_stripe_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<StripeEvent>, StoreError>;

    /// Marks an event applied: it is never taken again.
    async fn stripe_event_applied(&self, id: &str, now: i64) -> Result<(), StoreError>;

    /// Records a failed application, to be retried at `retry_at`, or set aside at `now` when
    /// `retry_at` is `None` (never taken again; listed by [`WebhookInbox::set_aside_stripe_events`]).
    async fn stripe_event_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The events set aside after failing too often, most recent first, for the operator.
    async fn set_aside_stripe_events(&self, limit: i64) -> Result<Vec<SetAsideEvent>, StoreError>;

    /// Forgets the events applied before `applied_before`; how many.
    async fn purge_applied_stripe_events(&self, applied_before: i64) -> Result<u64, StoreError>;
}
