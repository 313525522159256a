//! Checkout attempts in PostgreSQL: the Stripe Checkout Sessions started from pay pages.

use super::{add_event, backend, unknown, PgStore};
use app::domain::{HistoryEvent, Money};
use app::ports::{AttemptStatus, BusinessId, CheckoutAttempt, CheckoutStore, InvoiceId, StoreError};
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// The columns [`attempt`] reads (`seq` only orders them).
const ATTEMPT_COLUMNS: &str = "session_id, business_id, invoice_id, account_id, amount_cents, fee_cents, url,
    status, failure, expires_at, created_at";

fn attempt(r: &PgRow) -> Result<CheckoutAttempt, StoreError> {
    Ok(CheckoutAttempt {
        session_id: r.get("session_id"),
        business_id: r.get("business_id"),
        invoice_id: r.get("invoice_id"),
        account_id: r.get("account_id"),
        amount: Money::from_cents(r.get("amount_cents")),
        fee: Money::from_cents(r.get("fee_cents")),
        url: r.get("url"),
        status: AttemptStatus::from_code(&r.get::<String, _>("status"))
            .ok_or_else(|| unknown("checkout attempt status"))?,
        failure: r.get("failure"),
        expires_at: r.get("expires_at"),
        created_at: r.get("created_at"),
    })
}

#[async_trait]
impl CheckoutStore for PgStore {
    async fn new_checkout_request(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        now: i64,
    ) -> Result<i64, StoreError> {
        sqlx::query_scalar(
            "INSERT INTO checkout_requests (business_id, invoice_id, created_at) VALUES ($1, $2, $3) RETURNING id",
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
        let rows = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM checkout_attempts WHERE business_id = $1 AND invoice_id = $2
             ORDER BY created_at DESC, seq DESC"
        ))
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(attempt).collect()
    }

    async fn checkout_attempt(&self, session_id: &str) -> Result<Option<CheckoutAttempt>, StoreError> {
        let row =
            sqlx::query(&format!("SELECT {ATTEMPT_COLUMNS} FROM checkout_attempts WHERE session_id = $1"))
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
        // Only an open attempt closes: one completed meanwhile (its lock waited for) stays so.
        let row = sqlx::query(
            "UPDATE checkout_attempts SET status = $1, failure = $2, updated_at = $3
             WHERE session_id = $4 AND status = 'open' RETURNING business_id, invoice_id",
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
        // Takes the open attempts not looked at for `older_than` seconds and notes that they
        // were, so each is re-fetched at most once per period. SKIP LOCKED: an attempt another
        // instance is taking at this moment is left to it.
        let rows = sqlx::query(&format!(
            "WITH taken AS (
                 UPDATE checkout_attempts SET updated_at = $1
                 WHERE session_id IN (SELECT session_id FROM checkout_attempts
                                      WHERE status = 'open' AND updated_at <= $2
                                      ORDER BY updated_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING seq, {ATTEMPT_COLUMNS})
             SELECT {ATTEMPT_COLUMNS} FROM taken ORDER BY seq"
        ))
        .bind(now)
        .bind(now - older_than)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(attempt).collect()
    }
}
