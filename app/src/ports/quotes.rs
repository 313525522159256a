//! Quotes (« devis »), as stored: drafts as typed, then frozen under their own `D-` number.

use super::{BusinessId, InvoiceId, StoreError};
use crate::domain::quote::QuoteHistoryEvent;
use crate::domain::{BusinessProfileInput, ClientInput, Money, QuoteInput, QuoteStatus};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub type QuoteId = i64;

/// A quote as stored.
#[derive(Debug, Clone)]
pub struct QuoteRecord {
    pub id: QuoteId,
    pub status: QuoteStatus,
    /// Given when it is sent.
    pub number: Option<String>,
    pub content: QuoteInput,
    /// The client's name: from the snapshot once sent.
    pub client_name: String,
    pub date: String,
    pub valid_until: String,
    pub total_ht: Money,
    pub total_tax: Money,
    pub total_ttc: Money,
    /// The deposit asked, in euros TTC (zero for none).
    pub deposit: Money,
    /// The random half of the acceptance link's token; set when sent.
    pub token_salt: Option<String>,
    pub seller: Option<BusinessProfileInput>,
    pub client: Option<ClientInput>,
    pub logo_file: Option<String>,
    /// The quote this one is a new version of.
    pub replaces: Option<QuoteId>,
    /// The newer version sent in its place: this one can no longer be answered.
    pub replaced_by: Option<QuoteId>,
    pub answer: Option<QuoteAnswer>,
    pub sent_at: Option<i64>,
}

impl QuoteRecord {
    /// Where it stands as shown on `today`: « expiré » once its validity passed unanswered.
    pub fn shown_status(&self, today: crate::domain::Date) -> QuoteStatus {
        crate::domain::Date::parse(&self.valid_until)
            .map_or(self.status, |until| self.status.shown(until, today))
    }

    /// HT, VAT, TTC and the deposit asked: as frozen once sent; a draft's from its lines as
    /// they read.
    pub fn amounts(&self, franchise: bool) -> [Money; 4] {
        if self.status != QuoteStatus::Draft {
            return [self.total_ht, self.total_tax, self.total_ttc, self.deposit];
        }
        let t = self.content.preview_totals(franchise);
        let deposit =
            crate::domain::Deposit::parse(&self.content.deposit_percent, &self.content.deposit_amount)
                .map_or(Money::ZERO, |d| d.amount(t.ttc));
        [t.ht, t.tax, t.ttc, deposit]
    }
}

/// The client's answer and what proves it, as the acceptance page records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteAnswer {
    pub accepted: bool,
    /// The full name typed under « Bon pour accord » (empty for a refusal).
    pub full_name: String,
    /// The reason given for a refusal, if any.
    pub reason: String,
    pub at: i64,
    /// The client's address and browser (User-Agent).
    pub address: String,
    pub browser: String,
    /// SHA-256 of the PDF the client was shown, in hexadecimal.
    pub pdf_sha256: String,
}

/// One line of a quote's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteHistoryEntry {
    pub at: i64,
    pub event: QuoteHistoryEvent,
}

/// Everything sending a quote writes, computed and checked beforehand.
pub struct SendQuoteRequest<'a> {
    pub content: &'a QuoteInput,
    pub year: i64,
    pub date: &'a str,
    pub valid_until: &'a str,
    pub totals: [Money; 3],
    pub deposit: Money,
    pub seller: &'a BusinessProfileInput,
    pub client: &'a ClientInput,
    pub token_salt: &'a str,
    pub token_hash: &'a str,
    pub logo_file: Option<&'a str>,
}

/// A business's quotes in figures, for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteFigures {
    /// Sent or opened, neither answered, replaced nor expired.
    pub awaiting: i64,
    pub awaiting_ttc: Money,
    /// Dated in the year and sent (replaced versions left out)…
    pub sent_in_year: i64,
    /// …and of those, accepted (invoiced since or not).
    pub accepted_in_year: i64,
}

/// Why the store refused to send a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendQuoteRefusal {
    /// No longer a draft (sent meanwhile).
    NotDraft,
    /// The quote it replaces was answered meanwhile: the client's answer stands.
    ReplacedAnswered,
}

/// Quotes, their numbers, links and answers.
#[async_trait]
pub trait QuoteStore: Send + Sync {
    /// A new draft, possibly a new version of `replaces` (which stays answerable until the new
    /// version is sent).
    async fn create_quote(
        &self,
        business_id: BusinessId,
        content: &QuoteInput,
        client_name: &str,
        replaces: Option<QuoteId>,
        now: i64,
    ) -> Result<QuoteId, StoreError>;

    /// Replaces a draft's content; `Ok(false)` once it is no longer a draft, `NotFound` when it
    /// is not this business's.
    async fn update_quote_draft(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        content: &QuoteInput,
        client_name: &str,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Deletes a draft; `Ok(false)` for a quote already sent.
    async fn delete_quote_draft(&self, business_id: BusinessId, id: QuoteId) -> Result<bool, StoreError>;

    async fn quote(&self, business_id: BusinessId, id: QuoteId) -> Result<QuoteRecord, StoreError>;

    /// The business's quotes, newest first.
    async fn quotes(
        &self,
        business_id: BusinessId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<QuoteRecord>, StoreError>;

    /// Freezes a draft under the next `D-{year}-NNNN` number with its snapshots and link, and
    /// marks the quote it replaces as replaced, in one transaction. Returns the number.
    async fn send_quote(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        request: &SendQuoteRequest<'_>,
        now: i64,
    ) -> Result<Result<String, SendQuoteRefusal>, StoreError>;

    /// The quote's timeline, oldest first: each change writes its line in its own transaction.
    async fn quote_history(
        &self,
        business_id: BusinessId,
        id: QuoteId,
    ) -> Result<Vec<QuoteHistoryEntry>, StoreError>;

    /// The quote whose acceptance link token hashes to `token_hash`, if any.
    async fn quote_by_token(&self, token_hash: &str) -> Result<Option<(BusinessId, QuoteId)>, StoreError>;

    /// The quote figures as of `today` (ISO), the year being `year_from` to `year_to`.
    async fn quote_figures(
        &self,
        business_id: BusinessId,
        today: &str,
        year_from: &str,
        year_to: &str,
    ) -> Result<QuoteFigures, StoreError>;

    /// The invoices (drafts included) that bill the quote: its deposit invoices and its final
    /// invoice, oldest first.
    async fn quote_invoices(
        &self,
        business_id: BusinessId,
        id: QuoteId,
    ) -> Result<Vec<InvoiceId>, StoreError>;

    /// Moves a quote from `from` to `to` (viewed, accepted, refused, invoiced), recording the
    /// client's answer with it, if it still stands at `from` and was not replaced; `Ok(false)`
    /// otherwise.
    async fn change_quote_status(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        from: QuoteStatus,
        to: QuoteStatus,
        answer: Option<&QuoteAnswer>,
        now: i64,
    ) -> Result<bool, StoreError>;
}
