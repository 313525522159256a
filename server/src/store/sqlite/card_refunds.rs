//! Card refunds in SQLite: asked from Reglo, settled once by the provider's webhook however
//! many times it is delivered.

use super::{add_event, apply_change, backend, insert_outbox, SqliteStore};
use app::domain::{HistoryEvent, Money, SettlementChange};
use app::ports::{
    CardRefund, CardRefundStatus, CardRefundStore, InvoiceId, MailDocument, OnlinePaymentOutcome,
    OutgoingEmail, RefundRecord, StoreError,
};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const COLUMNS: &str =
    "id, business_id, invoice_id, payment_intent, amount_cents, fee_cents, status, failure_reason, requested_at";

fn card_refund(r: &SqliteRow) -> Result<CardRefund, StoreError> {
    Ok(CardRefund {
        id: r.get("id"),
        business_id: r.get("business_id"),
        invoice_id: r.get("invoice_id"),
        payment_intent: r.get("payment_intent"),
        amount: Money::from_cents(r.get("amount_cents")),
        fee: Money::from_cents(r.get("fee_cents")),
        status: CardRefundStatus::from_code(&r.get::<String, _>("status"))
            .ok_or_else(|| StoreError::Backend("unknown card refund status in the database".into()))?,
        failure_reason: r.get("failure_reason"),
        requested_at: r.get("requested_at"),
    })
}

#[async_trait]
impl CardRefundStore for SqliteStore {
    async fn add_card_refund(&self, refund: &CardRefund, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO card_refunds (id, business_id, invoice_id, payment_intent, amount_cents, fee_cents, status,
                failure_reason, requested_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&refund.id)
        .bind(refund.business_id)
        .bind(refund.invoice_id)
        .bind(&refund.payment_intent)
        .bind(refund.amount.cents())
        .bind(refund.fee.cents())
        .bind(refund.status.code())
        .bind(&refund.failure_reason)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn card_refunds(
        &self,
        business_id: i64,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CardRefund>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM card_refunds WHERE business_id = ? AND invoice_id = ? ORDER BY requested_at, id"
        ))
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?
        .iter()
        .map(card_refund)
        .collect()
    }

    async fn card_refund(&self, id: &str) -> Result<Option<CardRefund>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM card_refunds WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(card_refund).transpose()
    }

    async fn settle_card_refund(
        &self,
        id: &str,
        refund: &RefundRecord,
        change: &SettlementChange,
        emails: &[OutgoingEmail],
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Locks the refund: a second delivery of the webhook waits, then finds it settled.
        let row = sqlx::query(
            "UPDATE card_refunds SET status = 'succeeded', updated_at = ? WHERE id = ? AND status = 'pending'
             RETURNING business_id, invoice_id",
        )
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            tx.rollback().await.map_err(backend)?;
            return Ok(OnlinePaymentOutcome::AlreadyRecorded);
        };
        let (business_id, invoice_id): (i64, i64) = (row.get("business_id"), row.get("invoice_id"));
        if !apply_change(&mut tx, business_id, invoice_id, change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(OnlinePaymentOutcome::Changed);
        }
        sqlx::query(
            "INSERT INTO refunds (business_id, invoice_id, credit_note_id, amount_cents, revenue_ht_cents,
                operation, method, refunded_on, created_at, provider_refund_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(refund.credit_note_id)
        .bind(refund.amount.cents())
        .bind(refund.revenue_ht.cents())
        .bind(&refund.operation)
        .bind(&refund.method)
        .bind(&refund.refunded_on)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let event = HistoryEvent::Refund {
            amount_cents: refund.amount.cents(),
            method: refund.method.clone(),
            date: refund.refunded_on.clone(),
        };
        add_event(&mut tx, business_id, invoice_id, &event, now).await?;
        for email in emails {
            insert_outbox(&mut tx, business_id, Some(MailDocument::Invoice(invoice_id)), email, now).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(OnlinePaymentOutcome::Recorded)
    }

    async fn fail_card_refund(&self, id: &str, reason: &str, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let row = sqlx::query(
            "UPDATE card_refunds SET status = 'failed', failure_reason = ?, updated_at = ?
             WHERE id = ? AND status = 'pending' RETURNING business_id, invoice_id, amount_cents",
        )
        .bind(reason)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        };
        let event = HistoryEvent::CardRefundFailed {
            amount_cents: row.get("amount_cents"),
            reason: reason.to_owned(),
        };
        add_event(&mut tx, row.get("business_id"), row.get("invoice_id"), &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }
}
