//! Invoices: the editor, the document page and the list.

use crate::domain::{DocumentKind, InvoiceInput, InvoiceStatus};
use serde::{Deserialize, Serialize};

/// An invoice as the list and the editor show it. Amounts in cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i64,
    pub status: InvoiceStatus,
    pub number: Option<String>,
    pub content: InvoiceInput,
    pub client_name: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_ht_cents: i64,
    pub total_tax_cents: i64,
    pub total_ttc_cents: i64,
    /// The VAT regime the amounts were computed under.
    pub franchise: bool,
    /// « Brouillon », « Émise », « En retard »…: the stored status, or overdue as of today.
    pub status_label: String,
    pub amount_paid_cents: i64,
    pub kind: DocumentKind,
    pub amount_credited_cents: i64,
    /// What the client still owes; negative when a refund is owed.
    pub balance_cents: i64,
    /// Once issued: the link the client pays from.
    pub pay_url: Option<String>,
    /// On a credit note: the invoice it corrects (id, number).
    pub credits: Option<(i64, String)>,
    /// Filled when one invoice is asked for; empty in lists.
    pub payments: Vec<PaymentView>,
    /// Money given back to the client, oldest first (filled for one invoice).
    pub refunds: Vec<PaymentView>,
    /// Credit notes issued against it (id, number, TTC in cents).
    pub credit_notes: Vec<(i64, String, i64)>,
    pub history: Vec<HistoryView>,
    /// Once issued: the seller and the client as they were then (filled for one invoice).
    pub seller: Option<crate::domain::BusinessProfileInput>,
    pub client: Option<crate::domain::ClientInput>,
    /// The e-mails sent for it, newest first (filled for one invoice).
    pub emails: Vec<super::email::OutboxItem>,
    /// Its automatic reminders (filled for one issued invoice).
    #[serde(default)]
    pub reminders: Option<ReminderPlanView>,
    /// Refunds to the client's card, oldest first (filled for one invoice).
    #[serde(default)]
    pub card_refunds: Vec<CardRefundView>,
    /// The most « Rembourser par carte » may give back now (0: not offered).
    #[serde(default)]
    pub card_refundable_cents: i64,
}

/// A refund to the client's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRefundView {
    pub amount_cents: i64,
    /// « 07/12/2026 »
    pub date: String,
    /// « En cours », « Remboursé », « Échec : carte expirée ou résiliée ».
    pub status_label: String,
    pub failed: bool,
}

/// An invoice's automatic reminders: those sent and the next one planned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPlanView {
    /// The business's reminders are on.
    pub policy_enabled: bool,
    /// « Ne pas relancer cette facture » was chosen.
    pub stopped: bool,
    pub sent: Vec<ReminderStepView>,
    /// While the invoice awaits payment and reminders are on for it.
    pub next: Option<ReminderStepView>,
    /// Why none can go out although they are on (the client has no e-mail address).
    #[serde(default)]
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderStepView {
    /// Days from the due date, and as a label: « J+8 ».
    pub days: i64,
    pub step: String,
    /// Unix seconds: when it was sent, or when it is planned.
    pub at: i64,
    /// « 08/01/2027 à 08:00 », Paris time.
    pub at_label: String,
}

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    /// « 27/11/2026 »
    pub date: String,
    pub label: String,
    /// Another document it names.
    pub link: Option<i64>,
}

/// A page of the invoice list with the totals of everything that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceListView {
    pub items: Vec<InvoiceView>,
    pub count: i64,
    pub total_ttc_cents: i64,
    pub total_due_cents: i64,
    /// The page size: `count` above it means the list was cut.
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub amount_cents: i64,
    pub method: String,
    pub received_on: String,
    /// The platform fee on an online payment (zero otherwise).
    pub fee_cents: i64,
}

/// What the editor needs besides the invoice: the business's VAT regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorContext {
    pub template: InvoiceInput,
    pub franchise: bool,
    /// Whether invoices may offer the payment link, and the fee it costs.
    pub online: crate::domain::OnlineStatus,
    /// Whether this server takes online payment at all (and for real).
    pub provider: crate::domain::ProviderMode,
    pub fee_bp: i64,
    /// The smallest total offered for online payment.
    pub min_online_payment: crate::domain::Money,
}
