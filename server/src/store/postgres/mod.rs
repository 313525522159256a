//! The PostgreSQL store: one database shared by several server instances.
//!
//! Each port is implemented for [`PgStore`] in its own file; this one holds the connection,
//! the migrations, and what those files share: error mapping, JSON helpers, row mappers and
//! the steps that run inside another operation's transaction (timeline entries, document
//! numbers, queued e-mails).
//!
//! Concurrency rests on PostgreSQL's row locks under READ COMMITTED: guarded `UPDATE … WHERE`
//! statements are re-checked against the row's latest version once its lock is taken, queue
//! claims use `FOR UPDATE SKIP LOCKED`, and issuing documents takes a per-business lock first.
//! Queries are written at run time (`sqlx::query`), JSONB columns are read back as text and
//! written from text with a `::jsonb` cast, and every `SUM` is cast to `bigint`.

mod accounts;
mod businesses;
mod card_refunds;
mod checkout;
mod clients;
mod invoices;
mod ledger;
mod outbox;
mod quotes;
mod reminders;
mod treasury;
mod webhook_inbox;

use app::domain::{DocumentKind, HistoryEvent, InvoiceStatus, Money, SettlementChange};
use app::ports::{BusinessId, InvoiceId, InvoiceRecord, MailDocument, OutgoingEmail, Store, StoreError};
use async_trait::async_trait;
use sqlx::postgres::{PgPoolOptions, PgQueryResult, PgRow};
use sqlx::{PgPool, Postgres, Row, Transaction};
use std::time::Duration;

/// The PostgreSQL store.
pub struct PgStore {
    pub(super) pool: PgPool,
}

impl PgStore {
    /// Opens a pool of connections to the database at `url` (`postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Self { pool })
    }

    /// The connections, for the instance's other PostgreSQL adapters to share.
    pub fn pool(&self) -> PgPool {
        self.pool.clone()
    }

    /// Brings the schema up to date. sqlx takes an advisory lock while migrating, so instances
    /// starting together apply each migration once.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("../migrations/postgres").run(&self.pool).await
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(backend)?;
        Ok(())
    }
}

/// Maps a database error to the ports' error: a unique violation names the violated
/// constraint (or unique index), a missing row is `NotFound`.
pub(super) fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned())
        }
        sqlx::Error::RowNotFound => StoreError::NotFound,
        _ => StoreError::Backend(Box::new(e)),
    }
}

/// An update or delete that must have hit its one row: none means not this business's, or gone.
pub(super) fn one_row(done: PgQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// JSON text, to bind with a `::jsonb` cast.
pub(super) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// Parses a JSONB column read as text (`column::text`).
pub(super) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// A code in the database that this version does not know.
pub(super) fn unknown(what: &str) -> StoreError {
    StoreError::Backend(format!("unknown {what} in the database").into())
}

/// The columns [`invoice_record`] reads, JSONB ones as text: `SELECT {INVOICE_COLUMNS} FROM invoices`.
pub(super) const INVOICE_COLUMNS: &str = "id, kind, status, number, content::text AS content, client_name,
    issue_date, due_date, total_ht, total_tax, total_ttc, amount_paid, amount_credited, credited_invoice_id,
    pay_token_salt, seller_snapshot::text AS seller_snapshot, client_snapshot::text AS client_snapshot, logo_file";

/// An invoice or credit note, from a row of [`INVOICE_COLUMNS`].
pub(super) fn invoice_record(r: &PgRow) -> Result<InvoiceRecord, StoreError> {
    let status: String = r.get("status");
    let kind: String = r.get("kind");
    let seller: Option<String> = r.get("seller_snapshot");
    let client: Option<String> = r.get("client_snapshot");
    Ok(InvoiceRecord {
        id: r.get("id"),
        kind: DocumentKind::from_code(&kind).ok_or_else(|| unknown("document kind"))?,
        status: InvoiceStatus::from_code(&status).ok_or_else(|| unknown("status"))?,
        number: r.get("number"),
        content: from_json(&r.get::<String, _>("content"))?,
        client_name: r.get("client_name"),
        issue_date: r.get("issue_date"),
        due_date: r.get("due_date"),
        total_ht: Money::from_cents(r.get("total_ht")),
        total_tax: Money::from_cents(r.get("total_tax")),
        total_ttc: Money::from_cents(r.get("total_ttc")),
        amount_paid: Money::from_cents(r.get("amount_paid")),
        amount_credited: Money::from_cents(r.get("amount_credited")),
        credited_invoice_id: r.get("credited_invoice_id"),
        pay_token_salt: r.get("pay_token_salt"),
        seller: seller.as_deref().map(from_json).transpose()?,
        client: client.as_deref().map(from_json).transpose()?,
        logo_file: r.get("logo_file"),
    })
}

/// Applies a change the domain computed (see `app::domain::settlement`) if the invoice still
/// stands as it was read: `false`, and nothing written, when it changed meanwhile. PostgreSQL
/// re-reads the row once a concurrent writer commits, so the comparison holds under READ
/// COMMITTED.
async fn apply_change(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    change: &SettlementChange,
    now: i64,
) -> Result<bool, StoreError> {
    let (from, to) = (&change.from, &change.to);
    let done = sqlx::query(
        "UPDATE invoices SET status = $1, amount_paid = $2, amount_credited = $3, updated_at = $4
         WHERE business_id = $5 AND id = $6 AND kind = 'invoice'
           AND status = $7 AND total_ttc = $8 AND amount_paid = $9 AND amount_credited = $10",
    )
    .bind(to.status.code())
    .bind(to.paid.cents())
    .bind(to.credited.cents())
    .bind(now)
    .bind(business_id)
    .bind(invoice_id)
    .bind(from.status.code())
    .bind(from.total_ttc.cents())
    .bind(from.paid.cents())
    .bind(from.credited.cents())
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected() == 1)
}

/// Appends to an invoice's timeline, inside the transaction that made it happen.
pub(super) async fn add_event(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    event: &HistoryEvent,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO invoice_events (business_id, invoice_id, at, detail) VALUES ($1, $2, $3, $4::jsonb)",
    )
    .bind(business_id)
    .bind(invoice_id)
    .bind(now)
    .bind(to_json(event)?)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// The next number of a business's sequence for `kind` and `year`, starting at 1. The upsert
/// locks the sequence's row until the transaction ends, so concurrent takers queue and a
/// number is never given twice; a rolled-back transaction gives its number back.
pub(super) async fn next_number(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    kind: &str,
    year: i64,
) -> Result<i64, StoreError> {
    let last: i64 = sqlx::query(
        "INSERT INTO document_sequences (business_id, kind, year, last) VALUES ($1, $2, $3, 1)
         ON CONFLICT (business_id, kind, year) DO UPDATE SET last = document_sequences.last + 1
         RETURNING last",
    )
    .bind(business_id)
    .bind(kind)
    .bind(year)
    .fetch_one(&mut **tx)
    .await
    .map_err(backend)?
    .get(0);
    Ok(last)
}

/// Queues an e-mail about an invoice, inside the caller's transaction: it is delivered only if
/// what it announces is committed.
pub(super) async fn insert_outbox(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    document: Option<MailDocument>,
    email: &OutgoingEmail,
    now: i64,
) -> Result<(), StoreError> {
    let (name, acquitted) = email.attachment.as_ref().map(|pdf| (&pdf.file_name, pdf.acquitted)).unzip();
    sqlx::query(
        "INSERT INTO outbox (business_id, invoice_id, recipients, reply_to, subject, text_body, html_body,
            attachment_name, attachment_acquitted, next_attempt_at, created_at, quote_id)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(business_id)
    .bind(document.and_then(MailDocument::invoice_id))
    .bind(to_json(&email.recipients)?)
    .bind(&email.reply_to)
    .bind(&email.subject)
    .bind(&email.text_body)
    .bind(&email.html_body)
    .bind(name)
    .bind(acquitted)
    .bind(now)
    .bind(now)
    .bind(document.and_then(MailDocument::quote_id))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Takes the per-business lock that makes numbering documents of one business queue: held
/// until the transaction ends. `FOR NO KEY UPDATE` rather than `FOR UPDATE`: it excludes the
/// other issuers all the same, but not the `FOR KEY SHARE` locks that inserting any row
/// referencing the business takes, so a payment holding an invoice's row lock and inserting
/// its payment row cannot deadlock with a credit note waiting for that invoice.
pub(super) async fn lock_business(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
) -> Result<(), StoreError> {
    sqlx::query("SELECT id FROM businesses WHERE id = $1 FOR NO KEY UPDATE")
        .bind(business_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}
