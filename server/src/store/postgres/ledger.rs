//! Money received and given back, in PostgreSQL: payments by hand and online, refunds.
//!
//! Each operation moves the invoice's `amount_paid` with a guarded UPDATE whose WHERE states
//! what must still hold (still awaiting payment, no overpayment, enough paid to give back).
//! Under READ COMMITTED, an UPDATE that had to wait for another transaction's row lock
//! re-checks that WHERE on the row as the other left it, so two payments racing for the last
//! euro cannot both pass.

use super::{add_event, apply_change, backend, insert_outbox, PgStore};
use app::domain::{HistoryEvent, Money, SettlementChange};
use app::ports::{
    BusinessId, InvoiceId, LedgerStore, OnlinePaymentOutcome, OnlineSettlement, PaymentRecord, RefundRecord,
    StoreError,
};
use async_trait::async_trait;
use sqlx::{Postgres, Row, Transaction};

#[async_trait]
impl LedgerStore for PgStore {
    async fn record_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if !apply_change(&mut tx, business_id, invoice_id, change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        insert_payment(&mut tx, business_id, invoice_id, payment, now).await?;
        let event = HistoryEvent::Payment {
            amount_cents: payment.amount.cents(),
            method: payment.method.clone(),
            date: payment.received_on.clone(),
        };
        add_event(&mut tx, business_id, invoice_id, &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn record_online_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        settled: &OnlineSettlement<'_>,
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError> {
        let OnlineSettlement { payment, change, event, receipts } = settled;
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The session's unique index makes a second delivery a no-op: a concurrent one waits for
        // this transaction, then inserts nothing.
        if !insert_payment(&mut tx, business_id, invoice_id, payment, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(OnlinePaymentOutcome::AlreadyRecorded);
        }
        if !apply_change(&mut tx, business_id, invoice_id, change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(OnlinePaymentOutcome::Changed);
        }
        add_event(&mut tx, business_id, invoice_id, event, now).await?;
        for email in receipts.iter() {
            insert_outbox(
                &mut tx,
                business_id,
                Some(app::ports::MailDocument::Invoice(invoice_id)),
                email,
                now,
            )
            .await?;
        }
        if let Some(session) = &payment.provider_session_id {
            sqlx::query(
                "UPDATE checkout_attempts SET status = 'complete', updated_at = $1 WHERE session_id = $2 AND business_id = $3",
            )
            .bind(now)
            .bind(session)
            .bind(business_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(OnlinePaymentOutcome::Recorded)
    }

    async fn payments(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT amount_cents, method, received_on, fee_cents, provider_session_id, provider_payment_id,
                    revenue_ht_cents, operation, test
             FROM payments WHERE business_id = $1 AND invoice_id = $2 ORDER BY received_on, id",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| PaymentRecord {
                amount: Money::from_cents(r.get("amount_cents")),
                method: r.get("method"),
                received_on: r.get("received_on"),
                fee: Money::from_cents(r.get("fee_cents")),
                provider_session_id: r.get("provider_session_id"),
                provider_payment_id: r.get("provider_payment_id"),
                revenue_ht: Money::from_cents(r.get("revenue_ht_cents")),
                operation: r.get("operation"),
                test: r.get("test"),
            })
            .collect())
    }

    async fn record_refund(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        refund: &RefundRecord,
        change: &SettlementChange,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let amount = refund.amount.cents();
        if !apply_change(&mut tx, business_id, invoice_id, change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO refunds (business_id, invoice_id, credit_note_id, amount_cents, revenue_ht_cents,
                operation, method, refunded_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(refund.credit_note_id)
        .bind(amount)
        .bind(refund.revenue_ht.cents())
        .bind(&refund.operation)
        .bind(&refund.method)
        .bind(&refund.refunded_on)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let event = HistoryEvent::Refund {
            amount_cents: amount,
            method: refund.method.clone(),
            date: refund.refunded_on.clone(),
        };
        add_event(&mut tx, business_id, invoice_id, &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn refunds(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<RefundRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT amount_cents, revenue_ht_cents, operation, method, refunded_on, credit_note_id
             FROM refunds WHERE business_id = $1 AND invoice_id = $2 ORDER BY refunded_on, id",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| RefundRecord {
                amount: Money::from_cents(r.get("amount_cents")),
                revenue_ht: Money::from_cents(r.get("revenue_ht_cents")),
                operation: r.get("operation"),
                method: r.get("method"),
                refunded_on: r.get("refunded_on"),
                credit_note_id: r.get("credit_note_id"),
            })
            .collect())
    }
}

/// Inserts a payment, inside the caller's transaction; `false` when its Checkout Session's
/// payment is already recorded.
async fn insert_payment(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    payment: &PaymentRecord,
    now: i64,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO payments (business_id, invoice_id, amount_cents, method, received_on, created_at,
            fee_cents, provider_session_id, provider_payment_id, revenue_ht_cents, operation, test)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (provider_session_id) WHERE provider_session_id IS NOT NULL DO NOTHING",
    )
    .bind(business_id)
    .bind(invoice_id)
    .bind(payment.amount.cents())
    .bind(&payment.method)
    .bind(&payment.received_on)
    .bind(now)
    .bind(payment.fee.cents())
    .bind(&payment.provider_session_id)
    .bind(&payment.provider_payment_id)
    .bind(payment.revenue_ht.cents())
    .bind(&payment.operation)
    .bind(payment.test)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(inserted.rows_affected() == 1)
}
