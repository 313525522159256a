//! Automatic reminders in SQLite: the policies, the worker's scan and the one row per
//! invoice and step that two workers cannot both insert.

use super::{add_event, backend, insert_outbox, one_row, SqliteStore};
use app::domain::reminders::{step_label, ReminderPolicy};
use app::domain::{HistoryEvent, Settlement};
use app::ports::{
    BusinessId, InvoiceId, InvoiceReminders, MailDocument, OutgoingEmail, ReminderCandidate, ReminderStore,
    SentReminder, StoreError,
};
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl ReminderStore for SqliteStore {
    async fn reminder_policy(&self, business_id: BusinessId) -> Result<ReminderPolicy, StoreError> {
        let row = sqlx::query("SELECT reminders_enabled, reminder_steps FROM businesses WHERE id = ?")
            .bind(business_id)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(ReminderPolicy::stored(row.get("reminders_enabled"), &row.get::<String, _>("reminder_steps")))
    }

    async fn save_reminder_policy(
        &self,
        business_id: BusinessId,
        policy: &ReminderPolicy,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE businesses SET reminders_enabled = ?, reminder_steps = ? WHERE id = ?")
                .bind(policy.enabled)
                .bind(policy.steps_text())
                .bind(business_id)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        one_row(done)
    }

    async fn set_invoice_reminders(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        enabled: bool,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE invoices SET reminders_stopped = ? WHERE business_id = ? AND id = ? AND kind = 'invoice'",
        )
        .bind(!enabled)
        .bind(business_id)
        .bind(invoice_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn invoice_reminders(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<InvoiceReminders, StoreError> {
        let stopped: bool =
            sqlx::query_scalar("SELECT reminders_stopped FROM invoices WHERE business_id = ? AND id = ?")
                .bind(business_id)
                .bind(invoice_id)
                .fetch_one(&self.pool)
                .await
                .map_err(backend)?;
        let sent = sqlx::query(
            "SELECT days, sent_at FROM invoice_reminders WHERE business_id = ? AND invoice_id = ? ORDER BY sent_at, days",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?
        .iter()
        .map(|r| SentReminder { days: r.get("days"), sent_at: r.get("sent_at") })
        .collect();
        Ok(InvoiceReminders { stopped, sent })
    }

    async fn reminder_candidates(
        &self,
        due_by: &str,
        after: InvoiceId,
        limit: i64,
    ) -> Result<Vec<ReminderCandidate>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.business_id, i.id, i.issue_date, i.due_date, b.reminder_steps,
                    coalesce((SELECT group_concat(r.days, ',') FROM invoice_reminders r
                              WHERE r.invoice_id = i.id), '') AS sent
             FROM invoices i JOIN businesses b ON b.id = i.business_id
             WHERE i.kind = 'invoice' AND i.status IN ('issued', 'sent', 'partially_paid')
               AND NOT i.reminders_stopped AND b.reminders_enabled AND i.due_date <= ? AND i.id > ?
             ORDER BY i.id LIMIT ?",
        )
        .bind(due_by)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| ReminderCandidate {
                business_id: r.get("business_id"),
                invoice_id: r.get("id"),
                issue_date: r.get("issue_date"),
                due_date: r.get("due_date"),
                steps: r.get("reminder_steps"),
                sent: r.get::<String, _>("sent").split(',').filter_map(|d| d.parse().ok()).collect(),
            })
            .collect())
    }

    async fn queue_reminder(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        days: i64,
        email: &OutgoingEmail,
        expected: &Settlement,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Takes the database's write lock on the invoice as it was read: a payment or a credit
        // note committed meanwhile leaves it no longer matching, and nothing is queued.
        let unchanged = sqlx::query(
            "UPDATE invoices SET reminders_stopped = reminders_stopped
             WHERE business_id = ? AND id = ? AND kind = 'invoice' AND NOT reminders_stopped
               AND status = ? AND total_ttc = ? AND amount_paid = ? AND amount_credited = ?",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(expected.status.code())
        .bind(expected.total_ttc.cents())
        .bind(expected.paid.cents())
        .bind(expected.credited.cents())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let first = unchanged.rows_affected() == 1
            && sqlx::query(
                "INSERT INTO invoice_reminders (business_id, invoice_id, days, sent_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (invoice_id, days) DO NOTHING",
            )
            .bind(business_id)
            .bind(invoice_id)
            .bind(days)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected()
                == 1;
        if !first {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        insert_outbox(&mut tx, business_id, Some(MailDocument::Invoice(invoice_id)), email, now).await?;
        let event = HistoryEvent::Reminder { step: step_label(days), to: email.recipients.join(", ") };
        add_event(&mut tx, business_id, invoice_id, &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }
}
