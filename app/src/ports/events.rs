//! Live events: what services publish once a change is committed, and what the SSE route streams
//! to the business's open pages. In-process on one instance; through the database when several
//! instances share it.

use super::{BusinessId, InvoiceId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveKind {
    PaymentRecorded,
    RefundRecorded,
    /// Issued, sent, opened by the client, credited.
    InvoiceChanged,
    /// Sent, opened, answered or invoiced (the event's `invoice_id` is then the quote's id).
    QuoteChanged,
    /// Events may have been missed (a slow reader, a lost connection between instances): pages
    /// reload what they show. Sent to every business.
    Resync,
}

impl LiveKind {
    /// The SSE event name.
    pub fn code(self) -> &'static str {
        match self {
            LiveKind::PaymentRecorded => "payment_recorded",
            LiveKind::RefundRecorded => "refund_recorded",
            LiveKind::InvoiceChanged => "invoice_changed",
            LiveKind::QuoteChanged => "quote_changed",
            LiveKind::Resync => "resync",
        }
    }
}

/// Something a logged-in page may want to show at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    pub kind: LiveKind,
    pub amount_cents: i64,
}

impl LiveEvent {
    pub fn new(business_id: BusinessId, invoice_id: InvoiceId, kind: LiveKind, amount_cents: i64) -> Self {
        Self { business_id, invoice_id, kind, amount_cents }
    }

    /// Whether a page of `business_id` should hear of it.
    pub fn concerns(&self, business_id: BusinessId) -> bool {
        self.business_id == business_id || self.kind == LiveKind::Resync
    }
}

/// Carries live events from the instance where a change happened to every instance's open pages.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes an event after its change is committed; nobody listening is fine, and a
    /// failure is logged, never returned (the change itself is done).
    async fn publish(&self, event: LiveEvent);

    /// Every event this instance hears from now on, of every business; a lagging receiver is
    /// told so by the channel and should resynchronise.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<LiveEvent>;
}
