//! Invoices and credit notes, as stored.

use super::{BusinessId, ClientId, InvoiceId, StoreError};
use crate::domain::{
    BusinessProfileInput, ClientInput, DocumentKind, HistoryEvent, InvoiceInput, InvoiceStatus, ListFilter,
    ListSort, Money, Settlement, SettlementChange,
};
use async_trait::async_trait;

/// An invoice as stored: a draft's content as typed, or an issued invoice's frozen content.
#[derive(Debug, Clone)]
pub struct InvoiceRecord {
    pub id: InvoiceId,
    pub kind: DocumentKind,
    pub status: InvoiceStatus,
    pub number: Option<String>,
    pub content: InvoiceInput,
    /// The client's name: from the snapshot once issued.
    pub client_name: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_ht: Money,
    pub total_tax: Money,
    pub total_ttc: Money,
    pub amount_paid: Money,
    /// The sum of the credit notes issued against it.
    pub amount_credited: Money,
    /// On a credit note: the invoice it corrects.
    pub credited_invoice_id: Option<InvoiceId>,
    /// The random half of the payment link's token (see `services::pay_link`); set at issue.
    pub pay_token_salt: Option<String>,
    pub seller: Option<BusinessProfileInput>,
    pub client: Option<ClientInput>,
    /// The logo it was issued with (file name in the logo directory).
    pub logo_file: Option<String>,
}

impl InvoiceRecord {
    /// What the client still owes; negative when a refund is owed after a credit note.
    pub fn balance(&self) -> Money {
        self.total_ttc - self.amount_credited - self.amount_paid
    }

    /// Its status and amounts, which changes are computed from.
    pub fn settlement(&self) -> Settlement {
        Settlement {
            status: self.status,
            total_ttc: self.total_ttc,
            credited: self.amount_credited,
            paid: self.amount_paid,
        }
    }

    /// What the client still has to pay (see [`crate::domain::amount_due`]).
    pub fn amount_due(&self) -> Money {
        crate::domain::amount_due(self.kind, self.status, self.balance())
    }
}

/// A page of the invoice list, and the figures of everything the query matched.
#[derive(Debug, Clone)]
pub struct InvoicePage {
    pub items: Vec<InvoiceRecord>,
    /// How many documents matched (the page may hold fewer).
    pub count: i64,
    /// TTC of the matched documents, credit notes counted negative.
    pub total_ttc: Money,
    /// What is still due on the matched invoices.
    pub total_due: Money,
}

/// Which invoices to list.
#[derive(Debug, Clone, Default)]
pub struct InvoiceQuery {
    pub filter: ListFilter,
    pub client_id: Option<ClientId>,
    /// Part of the number or of the client's name.
    pub search: String,
    pub sort: ListSort,
    /// ISO date, for « en retard ».
    pub today: String,
    pub limit: i64,
    pub offset: i64,
}

/// Everything issuing writes, computed and checked beforehand.
pub struct IssueRequest<'a> {
    pub content: &'a InvoiceInput,
    pub number_prefix: &'a str,
    pub year: i64,
    pub issue_date: &'a str,
    pub due_date: &'a str,
    pub totals: [Money; 3],
    pub seller: &'a BusinessProfileInput,
    pub client: &'a ClientInput,
    pub pay_token_salt: &'a str,
    pub pay_token_hash: &'a str,
    /// The business's logo now, kept with the document.
    pub logo_file: Option<&'a str>,
}

/// Why issuing was refused by the store.
#[derive(Debug)]
pub enum IssueRefusal {
    /// No longer a draft (issued meanwhile).
    NotDraft,
    /// An invoice with a later date was already issued: numbers must follow dates.
    OutOfOrder,
}

/// Everything issuing a credit note writes, computed and checked beforehand.
pub struct CreditNoteRequest<'a> {
    pub content: &'a InvoiceInput,
    pub year: i64,
    pub issue_date: &'a str,
    pub totals: [Money; 3],
    /// The invoice's new amount credited and status, computed from it as read: the store
    /// refuses the credit if it changed meanwhile.
    pub change: SettlementChange,
}

/// An entry of an invoice's timeline.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub at: i64,
    pub event: HistoryEvent,
}

/// Invoices and credit notes: drafts, issuing with its numbering, credit notes, the list,
/// timelines, and the pay link's look-up.
#[async_trait]
pub trait InvoiceStore: Send + Sync {
    /// Saves a new draft as typed, with the « created » entry of its timeline.
    async fn create_draft(
        &self,
        business_id: BusinessId,
        content: &InvoiceInput,
        now: i64,
    ) -> Result<InvoiceId, StoreError>;

    /// `NotFound` unless it is a draft of this business.
    async fn update_draft(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        content: &InvoiceInput,
        client_name: &str,
        totals: [Money; 3],
        now: i64,
    ) -> Result<(), StoreError>;

    /// `NotFound` unless it is a draft of this business.
    async fn delete_draft(&self, business_id: BusinessId, id: InvoiceId) -> Result<(), StoreError>;

    /// An invoice or credit note of this business; `NotFound` otherwise.
    async fn invoice(&self, business_id: BusinessId, id: InvoiceId) -> Result<InvoiceRecord, StoreError>;

    /// The invoices and credit notes matching `query` (drafts first when sorted by date).
    async fn list_invoices(
        &self,
        business_id: BusinessId,
        query: &InvoiceQuery,
    ) -> Result<InvoicePage, StoreError>;

    /// Freezes the draft and gives it the next number of its year, in one transaction: a
    /// number is never skipped nor given twice, however many issue at once.
    async fn issue_invoice(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        request: &IssueRequest<'_>,
        now: i64,
    ) -> Result<Result<String, IssueRefusal>, StoreError>;

    /// How far the business's invoice numbering of `year` went (0 before its first invoice):
    /// what the next one will be, as the issue confirmation says.
    async fn last_invoice_sequence(&self, business_id: BusinessId, year: i64) -> Result<i64, StoreError>;

    /// The credit notes issued against an invoice, oldest first.
    async fn credit_notes(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<InvoiceRecord>, StoreError>;

    /// Numbers a credit note under the next `A-` number of its year and applies its change to the
    /// invoice (amount credited and status, computed by [`Settlement::credit`]), with both
    /// timelines, in one transaction. `Ok(None)` when the invoice changed since it was read.
    async fn issue_credit_note(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        request: &CreditNoteRequest<'_>,
        now: i64,
    ) -> Result<Option<InvoiceId>, StoreError>;

    /// The invoice's timeline, oldest first.
    async fn history(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<HistoryEntry>, StoreError>;

    /// The issued invoice a pay link's token hash opens.
    async fn invoice_by_pay_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(BusinessId, InvoiceId)>, StoreError>;

    /// Notes on the timeline that the client opened the pay page, once per `date`.
    async fn record_view(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        date: &str,
        now: i64,
    ) -> Result<(), StoreError>;
}
