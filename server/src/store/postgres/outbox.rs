//! The mail outbox in PostgreSQL: invoices queued for sending, the « Boîte d'envoi », and the
//! delivery workers' claims, which several instances may run at once.

use super::{add_event, apply_change, backend, from_json, insert_outbox, one_row, PgStore};
use app::domain::{HistoryEvent, SettlementChange};
use app::ports::{
    BusinessId, InvoiceId, MailDocument, OutboxRecord, OutboxStatus, OutboxStore, OutgoingEmail,
    PdfAttachment, QueuedVolume, QuoteId, StoreError,
};
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// Every column [`outbox_record`] reads, recipients as text.
const OUTBOX_COLUMNS: &str = "id, business_id, invoice_id, quote_id, recipients::text AS recipients, reply_to, subject,
    text_body, html_body, attachment_name, attachment_acquitted, status, attempts, last_error, created_at, sent_at";

/// The same without bodies and attachment, for the list: they are left empty, as the port says.
const OUTBOX_SUMMARY_COLUMNS: &str = "id, business_id, invoice_id, quote_id, recipients::text AS recipients, reply_to,
    subject, '' AS text_body, '' AS html_body, NULL::text AS attachment_name, NULL::boolean AS attachment_acquitted,
    status, attempts, last_error, created_at, sent_at";

fn outbox_record(r: &PgRow) -> Result<OutboxRecord, StoreError> {
    let attachment = match (
        r.get::<Option<String>, _>("attachment_name"),
        r.get::<Option<bool>, _>("attachment_acquitted"),
    ) {
        (Some(file_name), Some(acquitted)) => Some(PdfAttachment { file_name, acquitted }),
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
            text_body: r.get("text_body"),
            html_body: r.get("html_body"),
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

#[async_trait]
impl OutboxStore for PgStore {
    async fn queue_invoice_email(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        email: &OutgoingEmail,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if !apply_change(&mut tx, business_id, invoice_id, change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        insert_outbox(&mut tx, business_id, Some(MailDocument::Invoice(invoice_id)), email, now).await?;
        let sent = HistoryEvent::Sent { to: email.recipients.join(", ") };
        add_event(&mut tx, business_id, invoice_id, &sent, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn queue_quote_email(
        &self,
        business_id: BusinessId,
        quote_id: QuoteId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        insert_outbox(&mut tx, business_id, Some(MailDocument::Quote(quote_id)), email, now).await?;
        tx.commit().await.map_err(backend)
    }

    async fn queue_email(
        &self,
        business_id: BusinessId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        insert_outbox(&mut tx, business_id, None, email, now).await?;
        tx.commit().await.map_err(backend)
    }

    async fn outbox(
        &self,
        business_id: BusinessId,
        id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        // The list leaves bodies and attachments in the database; one message comes whole.
        let columns = if id.is_some() { OUTBOX_COLUMNS } else { OUTBOX_SUMMARY_COLUMNS };
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM outbox WHERE business_id = $1 AND ($2::bigint IS NULL OR id = $2)
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(business_id)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(outbox_record).collect()
    }

    async fn claim_due_emails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        // SKIP LOCKED: a message another instance is claiming at this moment is left to it, so
        // no message is taken twice; once claimed, its lease keeps it out of later claims. The
        // claimed messages are handed over oldest first.
        let rows = sqlx::query(&format!(
            "WITH claimed AS (
                 UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $2
                              ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING {OUTBOX_COLUMNS})
             SELECT * FROM claimed ORDER BY id"
        ))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(outbox_record).collect()
    }

    async fn email_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, last_error = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn email_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET last_error = $1, status = CASE WHEN $2::bigint IS NULL THEN 'failed' ELSE 'queued' END,
                next_attempt_at = coalesce($2, next_attempt_at) WHERE id = $3",
        )
        .bind(error)
        .bind(retry_at)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn retry_email(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1
             WHERE business_id = $2 AND id = $3 AND status = 'failed'",
        )
        .bind(now)
        .bind(business_id)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn queued_since(
        &self,
        business_id: BusinessId,
        document: MailDocument,
        since: i64,
    ) -> Result<QueuedVolume, StoreError> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(jsonb_array_length(recipients)), 0)::bigint AS recipients,
                    COUNT(*) FILTER (WHERE invoice_id IS NOT DISTINCT FROM $1 AND quote_id IS NOT DISTINCT FROM $4)
                        AS about_document
             FROM outbox WHERE business_id = $2 AND created_at >= $3",
        )
        .bind(document.invoice_id())
        .bind(business_id)
        .bind(since)
        .bind(document.quote_id())
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(QueuedVolume { recipients: row.get("recipients"), about_document: row.get("about_document") })
    }

    async fn forget_delivered_bodies(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET text_body = '', html_body = ''
             WHERE status = 'sent' AND sent_at < $1 AND (text_body <> '' OR html_body <> '')",
        )
        .bind(before)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
