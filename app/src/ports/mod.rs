//! What the services need from the outside world, as traits. The server crate provides the
//! adapters; server functions reach them as `Arc<dyn …>` through [`crate::state::AppState`].

use crate::domain::{
    BusinessProfile, BusinessProfileInput, Client, ClientInput, DocumentKind, Email, HistoryEvent,
    InvoiceInput, InvoiceStatus, ListFilter, ListSort, Money,
};
use async_trait::async_trait;

mod payments;
mod treasury;
pub use payments::*;
pub use treasury::*;

pub type BusinessId = i64;
pub type UserId = i64;
pub type ClientId = i64;
pub type InvoiceId = i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was hit (e.g. an e-mail already registered).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// A stored password hash (argon2id, PHC string). Not `Serialize` and not printable, so it
/// cannot reach a response or a log line.
pub struct PasswordHash(pub String);

/// What logging in needs to know about a user.
pub struct Credentials {
    pub user_id: UserId,
    pub business_id: BusinessId,
    pub password_hash: PasswordHash,
}

/// The user behind a valid session cookie.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: UserId,
    pub business_id: BusinessId,
    pub email: String,
}

/// A business as stored: its profile in the form's normalised spelling (empty until first
/// saved), whether it has been completed, and its logo file name under the data dir.
#[derive(Debug, Clone)]
pub struct BusinessRecord {
    pub id: BusinessId,
    pub profile: BusinessProfileInput,
    pub profile_complete: bool,
    pub logo_file: Option<String>,
    /// The methods ticked on a new invoice (codes of [`crate::domain::PaymentMethod`]).
    pub default_payment_methods: Vec<String>,
    pub online: OnlineAccount,
}

/// A client as stored, in the form's spelling.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub id: ClientId,
    pub client: ClientInput,
    pub archived: bool,
}

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
}

impl InvoiceRecord {
    /// What the client still owes; negative when a refund is owed after a credit note.
    pub fn balance(&self) -> Money {
        self.total_ttc - self.amount_credited - self.amount_paid
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

/// Everything issuing a credit note writes, computed and checked beforehand.
pub struct CreditNoteRequest<'a> {
    pub content: &'a InvoiceInput,
    pub year: i64,
    pub issue_date: &'a str,
    pub totals: [Money; 3],
    /// The invoice as it was read when the request was checked: the store refuses the credit
    /// if it changed meanwhile.
    pub expected_credited: Money,
}

/// An entry of an invoice's timeline.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub at: i64,
    pub event: HistoryEvent,
}

/// An e-mail ready to deliver: what the worker hands to the [`Mailer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub recipients: Vec<String>,
    /// The entrepreneur's address, so that replies reach them.
    pub reply_to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// File name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// An e-mail in the outbox, as the « Boîte d'envoi » lists it.
#[derive(Debug, Clone)]
pub struct OutboxRecord {
    pub id: i64,
    pub invoice_id: Option<InvoiceId>,
    pub email: OutgoingEmail,
    /// `queued`, `sent` or `failed` (given up after the last attempt).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// A REST API key, as its owner sees it (never the key itself).
#[derive(Debug, Clone)]
pub struct ApiKeyRecord {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
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
}

/// A payment received on an invoice.
#[derive(Debug, Clone, Default)]
pub struct PaymentRecord {
    /// Gross: what the client paid.
    pub amount: Money,
    /// A [`crate::domain::PaymentMethod`] code, or `online_card`.
    pub method: String,
    pub received_on: String,
    /// The platform fee kept on an online payment (zero otherwise).
    pub fee: Money,
    /// Stripe's Checkout Session and PaymentIntent, for an online payment.
    pub provider_session_id: Option<String>,
    pub provider_payment_id: Option<String>,
    /// The part of `amount` that is revenue excluding VAT (what is declared).
    pub revenue_ht: Money,
    /// The invoice's nature of operation (an [`crate::domain::OperationNature`] code).
    pub operation: String,
}

impl PaymentRecord {
    /// A payment of `amount` on `invoice`, with its revenue share and nature taken from it.
    pub fn on(invoice: &InvoiceRecord, amount: Money, method: &str, received_on: String) -> Self {
        Self {
            amount,
            method: method.into(),
            received_on,
            revenue_ht: crate::domain::declaration::revenue_excluding_vat(
                amount,
                invoice.total_ht,
                invoice.total_ttc,
            ),
            operation: invoice.content.operation.clone(),
            ..Default::default()
        }
    }
}

/// Why issuing was refused by the store.
#[derive(Debug)]
pub enum IssueRefusal {
    /// No longer a draft (issued meanwhile).
    NotDraft,
    /// An invoice with a later date was already issued: numbers must follow dates.
    OutOfOrder,
}

/// Persistence. Every method that touches a business's data takes its id, and implementations
/// scope every query by it.
#[async_trait]
pub trait Store: Send + Sync {
    /// Answers once the database is reachable.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Creates a user and their (empty) business in one transaction.
    async fn create_account(
        &self,
        email: &Email,
        password_hash: &PasswordHash,
        defaults: &BusinessProfileInput,
        now: i64,
    ) -> Result<SessionUser, StoreError>;

    async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError>;

    async fn create_session(
        &self,
        token_hash: &str,
        user: &SessionUser,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The session's user, if the session exists and has not expired at `now`.
    async fn find_session(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>, StoreError>;

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    async fn business(&self, business_id: BusinessId) -> Result<BusinessRecord, StoreError>;

    async fn save_profile(
        &self,
        business_id: BusinessId,
        profile: &BusinessProfile,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Sets or clears the logo and returns the previous file name, so it can be removed.
    async fn set_logo(
        &self,
        business_id: BusinessId,
        logo_file: Option<&str>,
        now: i64,
    ) -> Result<Option<String>, StoreError>;

    /// Whether any business still uses this logo file.
    async fn logo_in_use(&self, logo_file: &str) -> Result<bool, StoreError>;

    /// The business's clients whose name, e-mail or SIREN contains `search`, by name;
    /// archived ones only when `archived` is true, active ones otherwise.
    async fn list_clients(
        &self,
        business_id: BusinessId,
        search: &str,
        archived: bool,
    ) -> Result<Vec<ClientRecord>, StoreError>;

    /// `NotFound` when the client belongs to another business.
    async fn client(&self, business_id: BusinessId, id: ClientId) -> Result<ClientRecord, StoreError>;

    async fn create_client(
        &self,
        business_id: BusinessId,
        client: &Client,
        now: i64,
    ) -> Result<ClientId, StoreError>;

    async fn update_client(
        &self,
        business_id: BusinessId,
        id: ClientId,
        client: &Client,
        now: i64,
    ) -> Result<(), StoreError>;

    async fn set_client_archived(
        &self,
        business_id: BusinessId,
        id: ClientId,
        archived: bool,
        now: i64,
    ) -> Result<(), StoreError>;

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

    async fn invoice(&self, business_id: BusinessId, id: InvoiceId) -> Result<InvoiceRecord, StoreError>;

    /// The invoices and credit notes matching `query` (drafts first when sorted by date).
    async fn list_invoices(
        &self,
        business_id: BusinessId,
        query: &InvoiceQuery,
    ) -> Result<InvoicePage, StoreError>;

    /// The credit notes issued against an invoice, oldest first.
    async fn credit_notes(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<InvoiceRecord>, StoreError>;

    /// Numbers a credit note under the next `A-` number of its year and applies it to the
    /// invoice (amount credited, status from [`crate::domain::status_after_credit`]), with both
    /// timelines, in one transaction. `Ok(None)` when the invoice changed since it was checked.
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

    async fn create_api_key(
        &self,
        business_id: BusinessId,
        name: &str,
        prefix: &str,
        key_hash: &str,
        now: i64,
    ) -> Result<i64, StoreError>;

    /// Keys not revoked, newest first.
    async fn api_keys(&self, business_id: BusinessId) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// `NotFound` unless it is a live key of this business.
    async fn revoke_api_key(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError>;

    /// The business's edited e-mail texts, by template kind code.
    async fn email_templates(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<(String, crate::domain::email_template::EmailTemplate)>, StoreError>;

    async fn save_email_template(
        &self,
        business_id: BusinessId,
        kind: &str,
        template: &crate::domain::email_template::EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Queues the invoice's e-mail and marks it sent (timeline included), in one transaction.
    /// `Ok(false)` when the invoice may not be sent (a draft, cancelled, another business's).
    async fn queue_invoice_email(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<bool, StoreError>;

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

    async fn email_sent(&self, id: i64, now: i64) -> Result<(), StoreError>;

    /// Records a failed attempt: retried at `retry_at`, or given up when it is `None`.
    async fn email_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), StoreError>;

    /// Queues a message that was given up on again. `NotFound` unless it failed.
    async fn retry_email(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError>;

    /// The business a live key belongs to, noting its use.
    async fn find_api_key(&self, key_hash: &str, now: i64) -> Result<Option<BusinessId>, StoreError>;

    /// Freezes the draft and gives it the next number of its year, in one transaction: a
    /// number is never skipped nor given twice, however many issue at once.
    async fn issue_invoice(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        request: &IssueRequest<'_>,
        now: i64,
    ) -> Result<Result<String, IssueRefusal>, StoreError>;

    /// Records a payment and moves the invoice to partially paid or paid, in one transaction.
    /// `Ok(false)` when the invoice no longer awaits that much (paid meanwhile, or overpayment).
    async fn record_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Oldest first.
    async fn payments(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<PaymentRecord>, StoreError>;

    async fn set_default_payment_methods(
        &self,
        business_id: BusinessId,
        methods: &[String],
        now: i64,
    ) -> Result<(), StoreError>;

    /// Links the business to its new Stripe account.
    async fn set_stripe_account(
        &self,
        business_id: BusinessId,
        account_id: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Stores what Stripe says of an account; the business it belongs to, if any.
    async fn update_online_status(
        &self,
        account_id: &str,
        status: crate::domain::OnlineStatus,
        requirements: &[String],
        now: i64,
    ) -> Result<Option<BusinessId>, StoreError>;

    async fn business_by_account(&self, account_id: &str) -> Result<Option<BusinessId>, StoreError>;

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

    async fn save_checkout_attempt(&self, attempt: &CheckoutAttempt) -> Result<(), StoreError>;

    /// The invoice's Checkout attempts, newest first.
    async fn checkout_attempts(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CheckoutAttempt>, StoreError>;

    async fn checkout_attempt(&self, session_id: &str) -> Result<Option<CheckoutAttempt>, StoreError>;

    /// Marks an attempt expired or failed (never one already complete), with the timeline.
    async fn close_checkout_attempt(
        &self,
        session_id: &str,
        status: &str,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Attempts still open and not looked at for `older_than` seconds, noted as looked at
    /// `now` (so each is re-fetched at most once per period).
    async fn stale_checkout_attempts(
        &self,
        now: i64,
        older_than: i64,
        limit: i64,
    ) -> Result<Vec<CheckoutAttempt>, StoreError>;

    /// In one transaction: the payment (once per Checkout Session), the invoice's status, the
    /// attempt marked complete, the timeline, and the receipt e-mails queued. `emails` are
    /// queued only when the payment is new.
    async fn record_online_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        emails: &[OutgoingEmail],
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError>;

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

    async fn stripe_event_applied(&self, id: &str, now: i64) -> Result<(), StoreError>;

    async fn stripe_event_failed(&self, id: &str, error: &str, retry_at: i64) -> Result<(), StoreError>;

    /// What issued invoices still owe, and the part due before `today` (ISO).
    async fn amounts_due(&self, business_id: BusinessId, today: &str) -> Result<AmountsDue, StoreError>;

    /// Money received from `from` to `to` (ISO, inclusive), refunds deducted.
    async fn received_between(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Money, StoreError>;

    /// Revenue received from `from` to `to` (ISO, inclusive), by month and nature of operation.
    async fn revenue_by_month(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthRevenue>, StoreError>;

    /// The livre des recettes from `from` to `to`: payments and refunds by date, oldest first,
    /// or the `newest` ones first.
    async fn receipt_lines(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
        newest: Option<i64>,
    ) -> Result<Vec<ReceiptLine>, StoreError>;

    /// Documents by stored status (invoices only).
    async fn invoice_counts(&self, business_id: BusinessId) -> Result<Vec<StatusCount>, StoreError>;

    /// Issued invoices with money still due, earliest due date first.
    async fn next_due(&self, business_id: BusinessId, limit: i64) -> Result<Vec<DueInvoice>, StoreError>;

    /// Records a refund and lowers the invoice's amount paid, in one transaction with its
    /// timeline entry. `Ok(false)` when the invoice does not owe that much back.
    async fn record_refund(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        refund: &RefundRecord,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Oldest first.
    async fn refunds(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<RefundRecord>, StoreError>;

    /// A [`crate::domain::DeclarationFrequency`] code.
    async fn declaration_frequency(&self, business_id: BusinessId) -> Result<String, StoreError>;

    async fn set_declaration_frequency(&self, business_id: BusinessId, code: &str) -> Result<(), StoreError>;
}

/// Turns a document into PDF bytes. Synchronous and CPU-bound: callers run it off the async
/// runtime.
pub trait PdfRenderer: Send + Sync {
    fn render(&self, document: &crate::services::invoice_pdf::PdfDocument) -> Result<Vec<u8>, String>;

    /// The livre des recettes.
    fn render_register(
        &self,
        document: &crate::services::receipts::RegisterDocument,
    ) -> Result<Vec<u8>, String>;
}

/// Delivers e-mails (SMTP, or `.eml` files when no SMTP server is configured).
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn deliver(&self, email: &OutgoingEmail) -> Result<(), String>;
}
