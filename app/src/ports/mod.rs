//! What the services need from the outside world, as traits: one store port per aggregate,
//! composed as [`Store`], and the outside systems (payment provider, mailer, PDF renderer, event
//! bus, clock). The server crate provides the adapters; server functions reach them as
//! `Arc<dyn …>` through [`crate::state::AppState`].

mod accounts;
mod businesses;
mod card_refunds;
mod checkout;
mod clients;
mod clock;
mod documents;
mod events;
mod invoices;
mod ledger;
mod limits;
mod outbox;
mod payment_gateway;
mod quotes;
mod reminders;
mod treasury;
mod webhook_inbox;

pub use accounts::*;
pub use businesses::*;
pub use card_refunds::*;
pub use checkout::*;
pub use clients::*;
pub use clock::*;
pub use documents::*;
pub use events::*;
pub use invoices::*;
pub use ledger::*;
pub use limits::*;
pub use outbox::*;
pub use payment_gateway::*;
pub use quotes::*;
pub use reminders::*;
pub use treasury::*;
pub use webhook_inbox::*;

use async_trait::async_trait;

pub type BusinessId = i64;
pub type UserId = i64;
pub type ClientId = i64;
pub type InvoiceId = i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was hit (e.g. an e-mail already registered); names the constraint.
    #[error("conflict on {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// Persistence: every store port, on one database. Every method that touches a business's data
/// takes its id, and implementations scope every query by it.
#[async_trait]
pub trait Store:
    AccountStore
    + BusinessStore
    + CardRefundStore
    + ClientStore
    + InvoiceStore
    + LedgerStore
    + OutboxStore
    + WebhookInbox
    + CheckoutStore
    + TreasuryStore
    + QuoteStore
    + ReminderStore
{
    /// Answers once the database is reachable.
    async fn ping(&self) -> Result<(), StoreError>;
}
