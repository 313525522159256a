//! Checkout attempts in SQLite.

use super::{add_event, backend, SqliteStore};
use app::domain::{HistoryEvent, Money};
use app::ports::{AttemptStatus, BusinessId, CheckoutAttempt, CheckoutStore, InvoiceId, StoreError};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn attempt(r: &SqliteRow) -> Result<CheckoutAttempt, StoreError> {
    let status: String = r.get("status");
    Ok(CheckoutAttempt {
        session_id: r.get("session_id"),
        business_id: r.get("business_id"),
        invoice_id: r.get("invoice_id"),
        account_id: r.get("account_id"),
        amount: Money::from_cents(r.get("amount_cents")),
        fee: Money::from_cents(r.get("fee_cents")),
        url: r.get("url"),
        status: AttemptStatus::from_code(&status)
            .ok_or_else(|| StoreError::Backend("unknown checkout attempt status in the database".into()))?,
        failure: r.get("failure"),
        expires_at: r.get("expires_at"),
        created_at: r.get("created_at"),
    })
}

#[async_trait]
impl CheckoutStore for SqliteStore {
    async fn new_checkout_request(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        now: i64,
    ) -> Result<i64, StoreError> {
        sqlx::query_scalar(
            "INSERT INTO checkout_requests (business_id, invoice_id, created_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)
    }

    async fn save_checkout_attempt(&self, a: &CheckoutAttempt) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO checkout_attempts (session_id, business_id, invoice_id, account_id, amount_cents,
                fee_cents, url, status, failure, expires_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (session_id) DO NOTHING",
        )
        .bind(&a.session_id)
        .bind(a.business_id)
        .bind(a.invoice_id)
        .bind(&a.account_id)
        .bind(a.amount.cents())
        .bind(a.fee.cents())
        .bind(&a.url)
        .bind(a.status.code())
        .bind(&a.failure)
        .bind(a.expires_at)
        .bind(a.created_at)
        .bind(a.created_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn checkout_attempts(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CheckoutAttempt>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM checkout_attempts WHERE business_id = ? AND invoice_id = ? ORDER BY created_at DESC, rowid DESC",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(attempt).collect()
    }

    async fn checkout_attempt(&self, session_id: &str) -> Result<Option<CheckoutAttempt>, StoreError> {
        let row = sqlx::query("SELECT * FROM checkout_attempts WHERE session_id = ?")
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(attempt).transpose()
    }

    async fn close_checkout_attempt(
        &self,
        session_id: &str,
        status: AttemptStatus,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let row = sqlx::query(
            "UPDATE checkout_attempts SET status = ?, failure = ?, updated_at = ?
             WHERE session_id = ? AND status = 'open' RETURNING business_id, invoice_id",
        )
        .bind(status.code())
        .bind(failure)
        .bind(now)
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        if let (Some(row), Some(reason)) = (row, failure) {
            let event = HistoryEvent::CheckoutFailed { reason: reason.to_owned() };
            add_event(&mut tx, row.get(0), row.get(1), &event, now).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn stale_checkout_attempts(
        &self,
        now: i64,
        older_than: i64,
        limit: i64,
    ) -> Result<Vec<CheckoutAttempt>, StoreError> {
        let rows = sqlx::query(
            "UPDATE checkout_attempts SET updated_at = ?1
             WHERE session_id IN (SELECT session_id FROM checkout_attempts
                                  WHERE status = 'open' AND updated_at <= ?2 ORDER BY updated_at LIMIT ?3)
             RETURNING *",
        )
        .bind(now)
        .bind(now - older_than)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(attempt).collect()
    }
}
