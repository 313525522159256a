//! The SQLite store: one file, for a single instance. One module per port; the helpers that
//! several of them share are here.

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
use app::ports::{
    BusinessId, InvoiceId, InvoiceRecord, MailDocument, OutboxRecord, OutboxStatus, OutgoingEmail,
    PdfAttachment, Store, StoreError,
};
use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult, SqliteRow,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            // What is deleted (bodies past their retention, say) is overwritten in the file,
            // not left readable in its free pages.
            .pragma("secure_delete", "on")
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("../migrations/sqlite").run(&self.pool).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(backend)?;
        Ok(())
    }
}

fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned())
        }
        sqlx::Error::RowNotFound => StoreError::NotFound,
        _ => StoreError::Backend(Box::new(e)),
    }
}

/// An update or delete that must have hit its one row: none means not this business's, or gone.
fn one_row(done: SqliteQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(Box::new(e)))
}

fn invoice_record(r: &SqliteRow) -> Result<InvoiceRecord, StoreError> {
    let status: String = r.get("status");
    let kind: String = r.get("kind");
    let seller: Option<String> = r.get("seller_snapshot");
    let client: Option<String> = r.get("client_snapshot");
    let unknown = |what: &str| StoreError::Backend(format!("unknown {what} in the database").into());
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
/// stands as it was read: `false`, and nothing written, when it changed meanwhile. The first
/// write of its transaction, so that it takes SQLite's write lock.
async fn apply_change(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    change: &SettlementChange,
    now: i64,
) -> Result<bool, StoreError> {
    let (from, to) = (&change.from, &change.to);
    let done = sqlx::query(
        "UPDATE invoices SET status = ?1, amount_paid = ?2, amount_credited = ?3, updated_at = ?4
         WHERE business_id = ?5 AND id = ?6 AND kind = 'invoice'
           AND status = ?7 AND total_ttc = ?8 AND amount_paid = ?9 AND amount_credited = ?10",
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
async fn add_event(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    event: &HistoryEvent,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO invoice_events (business_id, invoice_id, at, detail) VALUES (?, ?, ?, ?)")
        .bind(business_id)
        .bind(invoice_id)
        .bind(now)
        .bind(to_json(event)?)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The next number of a sequence; the row lock makes concurrent takers queue.
async fn next_number(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    kind: &str,
    year: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO document_sequences (business_id, kind, year, last) VALUES (?, ?, ?, 1)
         ON CONFLICT (business_id, kind, year) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(business_id)
    .bind(kind)
    .bind(year)
    .fetch_one(&mut **tx)
    .await
    .map_err(backend)?
    .get(0))
}

fn outbox_record(r: &SqliteRow, with_content: bool) -> Result<OutboxRecord, StoreError> {
    let attachment = match (
        r.get::<Option<String>, _>("attachment_name"),
        r.get::<Option<bool>, _>("attachment_acquitted"),
    ) {
        (Some(file_name), Some(acquitted)) if with_content => Some(PdfAttachment { file_name, acquitted }),
        _ => None,
    };
    Ok(OutboxRecord {
        id: r.get("id"),
        business_id: r.get("business_id"),
        invoice_id: r.get("invoice_id"),
        quote_id: r.get("quote_id"),
        email: OutgoingEmail {
            recipients: from_json(&r.get::<String, _>("recipients"))?,
            reply_to: r.get("reply_to"),
            subject: r.get("subject"),
            text_body: if with_content { r.get("text_body") } else { String::new() },
            html_body: if with_content { r.get("html_body") } else { String::new() },
            attachment,
        },
        status: OutboxStatus::from_code(&r.get::<String, _>("status"))
            .ok_or_else(|| StoreError::Backend("unknown outbox status in the database".into()))?,
        attempts: r.get("attempts"),
        last_error: r.get("last_error"),
        created_at: r.get("created_at"),
        sent_at: r.get("sent_at"),
    })
}

/// Queues an e-mail, inside the caller's transaction.
async fn insert_outbox(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    document: Option<MailDocument>,
    email: &OutgoingEmail,
    now: i64,
) -> Result<(), StoreError> {
    let (name, acquitted) = email.attachment.as_ref().map(|pdf| (&pdf.file_name, pdf.acquitted)).unzip();
    sqlx::query(
        "INSERT INTO outbox (business_id, invoice_id, quote_id, recipients, reply_to, subject, text_body,
            html_body, attachment_name, attachment_acquitted, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(business_id)
    .bind(document.and_then(MailDocument::invoice_id))
    .bind(document.and_then(MailDocument::quote_id))
    .bind(to_json(&email.recipients)?)
    .bind(&email.reply_to)
    .bind(&email.subject)
    .bind(&email.text_body)
    .bind(&email.html_body)
    .bind(name)
    .bind(acquitted)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}
