//! Automatic reminders: each business's policy, the unpaid invoices to look at, and the one
//! record per invoice and step that makes each step go out once, whatever the number of workers.

use super::{BusinessId, InvoiceId, OutgoingEmail, StoreError};
use crate::domain::reminders::ReminderPolicy;
use crate::domain::Settlement;
use async_trait::async_trait;

/// A step sent for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReminder {
    /// The step: days from the due date.
    pub days: i64,
    pub sent_at: i64,
}

/// An invoice's reminders: whether the entrepreneur stopped them, and those sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceReminders {
    pub stopped: bool,
    pub sent: Vec<SentReminder>,
}

/// An unpaid invoice of a business whose reminders are on, as the worker looks at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderCandidate {
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    pub issue_date: String,
    pub due_date: String,
    /// The business's steps, as stored.
    pub steps: String,
    pub sent: Vec<i64>,
}

#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// The business's policy: the default one until it is saved.
    async fn reminder_policy(&self, business_id: BusinessId) -> Result<ReminderPolicy, StoreError>;

    async fn save_reminder_policy(
        &self,
        business_id: BusinessId,
        policy: &ReminderPolicy,
    ) -> Result<(), StoreError>;

    /// « Ne pas relancer cette facture », or reminders for it again. `NotFound` when the
    /// invoice is another business's.
    async fn set_invoice_reminders(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        enabled: bool,
    ) -> Result<(), StoreError>;

    async fn invoice_reminders(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<InvoiceReminders, StoreError>;

    /// Issued invoices awaiting payment, due on `due_by` (`YYYY-MM-DD`) at the latest, of
    /// businesses whose reminders are on and not stopped for the invoice: up to `limit`, by
    /// id after `after`.
    async fn reminder_candidates(
        &self,
        due_by: &str,
        after: InvoiceId,
        limit: i64,
    ) -> Result<Vec<ReminderCandidate>, StoreError>;

    /// Queues the reminder of step `days` with its timeline entry, in one transaction — only
    /// if the invoice still stands at `expected` (no payment nor credit note meanwhile), its
    /// reminders are still on, and the step was never sent. `Ok(false)` otherwise.
    async fn queue_reminder(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        days: i64,
        email: &OutgoingEmail,
        expected: &Settlement,
        now: i64,
    ) -> Result<bool, StoreError>;
}
