//! The mail outbox in SQLite.

use super::{add_event, apply_change, backend, insert_outbox, one_row, outbox_record, SqliteStore};
use app::domain::{HistoryEvent, SettlementChange};
use app::ports::{
    BusinessId, InvoiceId, MailDocument, OutboxRecord, OutboxStore, OutgoingEmail, QueuedVolume, QuoteId,
    StoreError,
};
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl OutboxStore for SqliteStore {
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
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE business_id = ? AND (? IS NULL OR id = ?) ORDER BY id DESC LIMIT ?",
        )
        .bind(business_id)
        .bind(id)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(|r| outbox_record(r, id.is_some())).collect()
    }

    async fn claim_due_emails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRecord>, StoreError> {
        let rows = sqlx::query(
            "UPDATE outbox SET next_attempt_at = ?1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?2 ORDER BY id LIMIT ?3)
             RETURNING *",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(|r| outbox_record(r, true)).collect()
    }

    async fn email_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn email_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET last_error = ?, status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'queued' END,
                next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?",
        )
        .bind(error)
        .bind(retry_at)
        .bind(retry_at)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn retry_email(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?
             WHERE business_id = ? AND id = ? AND status = 'failed'",
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
            "SELECT COALESCE(SUM(json_array_length(recipients)), 0) AS recipients,
                    COALESCE(SUM(invoice_id IS ? AND quote_id IS ?), 0) AS about_document
             FROM outbox WHERE business_id = ? AND created_at >= ?",
        )
        .bind(document.invoice_id())
        .bind(document.quote_id())
        .bind(business_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(QueuedVolume { recipients: row.get("recipients"), about_document: row.get("about_document") })
    }

    async fn forget_delivered_bodies(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET text_body = '', html_body = ''
             WHERE status = 'sent' AND sent_at < ? AND (text_body <> '' OR html_body <> '')",
        )
        .bind(before)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
