//! The mail outbox.

use super::{BusinessId, InvoiceId, QuoteId, StoreError};
use crate::domain::SettlementChange;
use async_trait::async_trait;

/// An e-mail ready to deliver: what the worker hands to the [`Mailer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub recipients: Vec<String>,
    /// The entrepreneur's address, so that replies reach them.
    pub reply_to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attachment: Option<PdfAttachment>,
}

/// The PDF of the message's invoice, named when the message is queued and rendered when it is
/// delivered: the outbox keeps no copy of it, nor therefore of the pay link it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfAttachment {
    pub file_name: String,
    /// The receipt version (« acquittée »); for a quote, its accepted copy.
    pub acquitted: bool,
}

/// A message as the [`Mailer`] sends it: its links in place and its PDF rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub email: OutgoingEmail,
    /// File name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// The document a message is about: its PDF is attached and its link put back as it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailDocument {
    Invoice(InvoiceId),
    Quote(QuoteId),
}

impl MailDocument {
    pub fn invoice_id(self) -> Option<InvoiceId> {
        match self {
            MailDocument::Invoice(id) => Some(id),
            MailDocument::Quote(_) => None,
        }
    }

    pub fn quote_id(self) -> Option<QuoteId> {
        match self {
            MailDocument::Quote(id) => Some(id),
            MailDocument::Invoice(_) => None,
        }
    }
}

/// Where a message of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for (another) delivery attempt.
    Queued,
    Sent,
    /// Given up after the last attempt; « Réessayer » queues it again.
    Failed,
}

impl OutboxStatus {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [OutboxStatus::Queued, OutboxStatus::Sent, OutboxStatus::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// An e-mail in the outbox, as the « Boîte d'envoi » lists it.
#[derive(Debug, Clone)]
pub struct OutboxRecord {
    pub id: i64,
    pub business_id: BusinessId,
    pub invoice_id: Option<InvoiceId>,
    pub quote_id: Option<QuoteId>,
    pub email: OutgoingEmail,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// E-mails waiting for delivery, delivered or given up on, and the worker's claims on them.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues the invoice's e-mail with its `change` (computed by
    /// [`crate::domain::Settlement::send`]) and the timeline entry, in one transaction.
    /// `Ok(false)` when the invoice changed since it was read (or is another business's).
    async fn queue_invoice_email(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        email: &OutgoingEmail,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Queues a message about a quote (sent to the client, or its answer).
    async fn queue_quote_email(
        &self,
        business_id: BusinessId,
        quote_id: QuoteId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Queues a message about the account itself (address confirmation, security notices).
    async fn queue_email(
        &self,
        business_id: BusinessId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Newest first; bodies and attachments left out unless `id` names one message.
    async fn outbox(
        &self,
        business_id: BusinessId,
        id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError>;

    /// Takes up to `limit` messages due at `now` for delivery, leasing them until `lease_until`
    /// so that a crash mid-delivery retries them instead of losing them.
    async fn claim_due_emails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError>;

    /// Records a delivered message.
    async fn email_sent(&self, id: i64, now: i64) -> Result<(), StoreError>;

    /// Records a failed attempt: retried at `retry_at`, or given up when it is `None`.
    async fn email_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), StoreError>;

    /// Queues a message that was given up on again. `NotFound` unless it failed.
    async fn retry_email(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError>;

    /// What the business queued since `since`: recipients in all, and messages about `document`.
    async fn queued_since(
        &self,
        business_id: BusinessId,
        document: MailDocument,
        since: i64,
    ) -> Result<QueuedVolume, StoreError>;

    /// Drops the bodies and attachments of messages delivered before `before`, keeping what was
    /// sent to whom and when; returns how many were emptied.
    async fn forget_delivered_bodies(&self, before: i64) -> Result<u64, StoreError>;
}

/// How much a business sent recently (see [`OutboxStore::queued_since`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueuedVolume {
    pub recipients: i64,
    pub about_document: i64,
}

/// Delivers e-mails (SMTP, or `.eml` files when no SMTP server is configured).
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends `delivery` under a Message-ID made from `key`, which is the same on every attempt
    /// at one outbox message and unique to it (see [`OutboxRecord::message_key`]).
    async fn deliver(&self, key: &str, delivery: &Delivery) -> Result<(), String>;
}

impl OutboxRecord {
    /// What makes this message's Message-ID: its id and the instant it was queued, so that ids
    /// reused by another database never collide in the recipient's mailbox.
    pub fn message_key(&self) -> String {
        format!("reglo.{}.{}", self.id, self.created_at)
    }
}
