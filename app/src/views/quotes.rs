//! What the « Devis » pages show.

use crate::domain::{QuoteInput, QuoteStatus};
use serde::{Deserialize, Serialize};

/// A quote as its page and the list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub id: i64,
    /// As shown: « expiré » once its validity passed without an answer.
    pub status: QuoteStatus,
    pub number: Option<String>,
    pub content: QuoteInput,
    pub client_name: String,
    pub total_ht_cents: i64,
    pub total_tax_cents: i64,
    pub total_ttc_cents: i64,
    pub deposit_cents: i64,
    pub franchise: bool,
    /// The client's page, once sent.
    pub link: Option<String>,
    pub replaces: Option<i64>,
    pub replaced_by: Option<i64>,
    pub answer: Option<AnswerView>,
    /// The deposit and final invoices it led to.
    pub invoices: Vec<QuoteInvoiceView>,
    /// Its timeline: date and what happened.
    pub history: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    pub accepted: bool,
    pub full_name: String,
    pub reason: String,
    /// « 28/11/2026 ».
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteInvoiceView {
    pub id: i64,
    /// « Facture d'acompte F-2026-0004 », « Facture (brouillon) ».
    pub label: String,
    pub status_label: String,
    pub total_ttc_cents: i64,
}

/// What the quote editor starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteEditorData {
    pub template: QuoteInput,
    pub franchise: bool,
}
