//! The SQLite store's e-mail texts and outbox.

use super::sqlite::{backend, from_json, to_json, SqliteStore};
use super::sqlite_invoices::add_event;
use app::domain::email_template::EmailTemplate;
use app::domain::{HistoryEvent, InvoiceEvent, InvoiceStatus};
use app::ports::{BusinessId, InvoiceId, OutboxRecord, OutgoingEmail, StoreError};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn outbox_record(r: &SqliteRow, with_content: bool) -> Result<OutboxRecord, StoreError> {
    let attachment = if with_content {
        match (r.get::<Option<String>, _>("attachment_name"), r.get::<Option<Vec<u8>>, _>("attachment")) {
            (Some(name), Some(bytes)) => Some((name, bytes)),
            _ => None,
        }
    } else {
        None
    };
    Ok(OutboxRecord {
        id: r.get("id"),
        invoice_id: r.get("invoice_id"),
        email: OutgoingEmail {
            recipients: from_json(&r.get::<String, _>("recipients"))?,
            reply_to: r.get("reply_to"),
            subject: r.get("subject"),
            text_body: if with_content { r.get("text_body") } else { String::new() },
            html_body: if with_content { r.get("html_body") } else { String::new() },
            attachment,
        },
        status: r.get("status"),
        attempts: r.get("attempts"),
        last_error: r.get("last_error"),
        created_at: r.get("created_at"),
        sent_at: r.get("sent_at"),
    })
}

/// Queues an e-mail, inside the caller's transaction.
pub(super) async fn insert_outbox(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    email: &OutgoingEmail,
    now: i64,
) -> Result<(), StoreError> {
    let (name, bytes) = email.attachment.clone().unzip();
    sqlx::query(
        "INSERT INTO outbox (business_id, invoice_id, recipients, reply_to, subject, text_body, html_body,
            attachment_name, attachment, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(business_id)
    .bind(invoice_id)
    .bind(to_json(&email.recipients)?)
    .bind(&email.reply_to)
    .bind(&email.subject)
    .bind(&email.text_body)
    .bind(&email.html_body)
    .bind(name)
    .bind(bytes)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

impl SqliteStore {
    pub(super) async fn templates_of(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<(String, EmailTemplate)>, StoreError> {
        let rows = sqlx::query("SELECT kind, subject, body FROM email_templates WHERE business_id = ?")
            .bind(business_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| (r.get("kind"), EmailTemplate { subject: r.get("subject"), body: r.get("body") }))
            .collect())
    }

    pub(super) async fn put_template(
        &self,
        business_id: BusinessId,
        kind: &str,
        t: &EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO email_templates (business_id, kind, subject, body, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (business_id, kind) DO UPDATE SET subject = excluded.subject, body = excluded.body,
                updated_at = excluded.updated_at",
        )
        .bind(business_id)
        .bind(kind)
        .bind(&t.subject)
        .bind(&t.body)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn queue_invoice(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        email: &OutgoingEmail,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Writing first takes the write lock; only a numbered, open invoice can be sent.
        let touched = sqlx::query(
            "UPDATE invoices SET updated_at = ? WHERE business_id = ? AND id = ? AND kind = 'invoice'
               AND status IN ('issued', 'sent', 'partially_paid', 'paid')",
        )
        .bind(now)
        .bind(business_id)
        .bind(invoice_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if touched.rows_affected() == 0 {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        let status: String = sqlx::query("SELECT status FROM invoices WHERE id = ?")
            .bind(invoice_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?
            .get(0);
        let status = InvoiceStatus::from_code(&status).unwrap_or(InvoiceStatus::Issued);
        // Sending a paid invoice again (a copy) keeps it paid.
        let after = status.after(InvoiceEvent::Send).unwrap_or(status);
        sqlx::query("UPDATE invoices SET status = ? WHERE id = ?")
            .bind(after.code())
            .bind(invoice_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_outbox(&mut tx, business_id, invoice_id, email, now).await?;
        let sent = HistoryEvent::Sent { to: email.recipients.join(", ") };
        add_event(&mut tx, business_id, invoice_id, &sent, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    pub(super) async fn outbox_of(
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

    pub(super) async fn claim_due(
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

    pub(super) async fn mark_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
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

    pub(super) async fn requeue(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError> {
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
        super::sqlite::one_row(done)
    }
}
