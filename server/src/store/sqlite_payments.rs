//! The SQLite store's online payment records: Stripe accounts, Checkout attempts, online
//! payments with their receipts, and webhook events.

use super::sqlite::{backend, from_json, to_json, SqliteStore};
use super::sqlite_email::insert_outbox;
use super::sqlite_invoices::add_event;
use app::domain::{HistoryEvent, Money, OnlineStatus};
use app::ports::{
    BusinessId, CheckoutAttempt, InvoiceId, OnlinePaymentOutcome, OutgoingEmail, PaymentRecord, StoreError,
    StripeEvent,
};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn attempt(r: &SqliteRow) -> CheckoutAttempt {
    CheckoutAttempt {
        session_id: r.get("session_id"),
        business_id: r.get("business_id"),
        invoice_id: r.get("invoice_id"),
        account_id: r.get("account_id"),
        amount: Money::from_cents(r.get("amount_cents")),
        fee: Money::from_cents(r.get("fee_cents")),
        url: r.get("url"),
        status: r.get("status"),
        failure: r.get("failure"),
        expires_at: r.get("expires_at"),
        created_at: r.get("created_at"),
    }
}

fn event(r: &SqliteRow) -> StripeEvent {
    StripeEvent {
        id: r.get("id"),
        endpoint: r.get("endpoint"),
        event_type: r.get("type"),
        account: r.get("account"),
        object_id: r.get("object_id"),
        attempts: r.get("attempts"),
    }
}

impl SqliteStore {
    pub(super) async fn set_default_methods(
        &self,
        business_id: BusinessId,
        methods: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE businesses SET default_payment_methods = ?, updated_at = ? WHERE id = ?")
            .bind(to_json(&methods)?)
            .bind(now)
            .bind(business_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn link_stripe_account(
        &self,
        business_id: BusinessId,
        account_id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE businesses SET stripe_account_id = ?, updated_at = ? WHERE id = ?")
            .bind(account_id)
            .bind(now)
            .bind(business_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn set_online_status(
        &self,
        account_id: &str,
        status: OnlineStatus,
        requirements: &[String],
        now: i64,
    ) -> Result<Option<BusinessId>, StoreError> {
        let row = sqlx::query(
            "UPDATE businesses SET online_status = ?, online_requirements = ?, updated_at = ?
             WHERE stripe_account_id = ? RETURNING id",
        )
        .bind(status.code())
        .bind(to_json(&requirements)?)
        .bind(now)
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(super) async fn business_of_account(
        &self,
        account_id: &str,
    ) -> Result<Option<BusinessId>, StoreError> {
        let row = sqlx::query("SELECT id FROM businesses WHERE stripe_account_id = ?")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(super) async fn invoice_of_pay_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(BusinessId, InvoiceId)>, StoreError> {
        let row = sqlx::query("SELECT business_id, id FROM invoices WHERE pay_token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    pub(super) async fn note_view(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        date: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let event = HistoryEvent::Viewed { date: date.to_owned() };
        // One statement: a view already noted that day inserts nothing.
        sqlx::query(
            "INSERT INTO invoice_events (business_id, invoice_id, at, detail)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (
                 SELECT 1 FROM invoice_events WHERE business_id = ?1 AND invoice_id = ?2 AND detail = ?4)",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(now)
        .bind(to_json(&event)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn insert_attempt(&self, a: &CheckoutAttempt) -> Result<(), StoreError> {
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
        .bind(&a.status)
        .bind(&a.failure)
        .bind(a.expires_at)
        .bind(a.created_at)
        .bind(a.created_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn attempts_of(
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
        Ok(rows.iter().map(attempt).collect())
    }

    pub(super) async fn attempt_by_session(
        &self,
        session_id: &str,
    ) -> Result<Option<CheckoutAttempt>, StoreError> {
        let row = sqlx::query("SELECT * FROM checkout_attempts WHERE session_id = ?")
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(attempt))
    }

    pub(super) async fn close_attempt(
        &self,
        session_id: &str,
        status: &str,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let row = sqlx::query(
            "UPDATE checkout_attempts SET status = ?, failure = ?, updated_at = ?
             WHERE session_id = ? AND status = 'open' RETURNING business_id, invoice_id",
        )
        .bind(status)
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

    /// Takes the open attempts not looked at for `older_than` seconds, and notes that they
    /// were, so that each is re-fetched at most once per period.
    pub(super) async fn take_stale_attempts(
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
        Ok(rows.iter().map(attempt).collect())
    }

    pub(super) async fn insert_online_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        emails: &[OutgoingEmail],
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let amount = payment.amount.cents();
        // The session's unique index makes a second delivery a no-op.
        let inserted = sqlx::query(
            "INSERT INTO payments (business_id, invoice_id, amount_cents, method, received_on, created_at,
                fee_cents, provider_session_id, provider_payment_id, revenue_ht_cents, operation)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (provider_session_id) WHERE provider_session_id IS NOT NULL DO NOTHING",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(amount)
        .bind(&payment.method)
        .bind(&payment.received_on)
        .bind(now)
        .bind(payment.fee.cents())
        .bind(&payment.provider_session_id)
        .bind(&payment.provider_payment_id)
        .bind(payment.revenue_ht.cents())
        .bind(&payment.operation)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await.map_err(backend)?;
            return Ok(OnlinePaymentOutcome::AlreadyRecorded);
        }
        let settled_row = sqlx::query(
            "UPDATE invoices SET amount_paid = amount_paid + ?1,
                status = CASE WHEN amount_paid + ?1 >= total_ttc - amount_credited THEN 'paid' ELSE 'partially_paid' END,
                updated_at = ?2
             WHERE business_id = ?3 AND id = ?4 AND kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')
               AND amount_paid + ?1 <= total_ttc - amount_credited
             RETURNING status",
        )
        .bind(amount)
        .bind(now)
        .bind(business_id)
        .bind(invoice_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let outcome = match settled_row {
            Some(row) => {
                let event = HistoryEvent::OnlinePayment {
                    amount_cents: amount,
                    fee_cents: payment.fee.cents(),
                    date: payment.received_on.clone(),
                };
                add_event(&mut tx, business_id, invoice_id, &event, now).await?;
                for email in emails {
                    insert_outbox(&mut tx, business_id, invoice_id, email, now).await?;
                }
                OnlinePaymentOutcome::Recorded { settled: row.get::<String, _>(0) == "paid" }
            }
            None => {
                // The money arrived anyway (more than was due, or for a settled invoice): it is
                // kept and counted, and what exceeds the due is flagged for a refund.
                sqlx::query(
                    "UPDATE invoices SET amount_paid = amount_paid + ?1, updated_at = ?2,
                        status = CASE WHEN status IN ('issued', 'sent', 'partially_paid')
                                       AND amount_paid + ?1 >= total_ttc - amount_credited THEN 'paid' ELSE status END
                     WHERE id = ?3 AND business_id = ?4",
                )
                    .bind(amount)
                    .bind(now)
                    .bind(invoice_id)
                    .bind(business_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                add_event(
                    &mut tx,
                    business_id,
                    invoice_id,
                    &HistoryEvent::DuplicatePayment { amount_cents: amount },
                    now,
                )
                .await?;
                OnlinePaymentOutcome::Duplicate
            }
        };
        if let Some(session) = &payment.provider_session_id {
            sqlx::query(
                "UPDATE checkout_attempts SET status = 'complete', updated_at = ? WHERE session_id = ?",
            )
            .bind(now)
            .bind(session)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(outcome)
    }

    pub(super) async fn insert_event(&self, e: &StripeEvent, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO stripe_events (id, endpoint, type, account, object_id, received_at, next_attempt_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(&e.endpoint)
        .bind(&e.event_type)
        .bind(&e.account)
        .bind(&e.object_id)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn take_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<StripeEvent>, StoreError> {
        let rows = sqlx::query(
            "UPDATE stripe_events SET next_attempt_at = ?1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM stripe_events WHERE applied_at IS NULL AND next_attempt_at <= ?2
                          ORDER BY received_at LIMIT ?3)
             RETURNING *",
        )
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut events: Vec<StripeEvent> = rows.iter().map(event).collect();
        events.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(events)
    }

    pub(super) async fn event_applied(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE stripe_events SET applied_at = ?, last_error = NULL WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(super) async fn event_failed(&self, id: &str, error: &str, retry_at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE stripe_events SET last_error = ?, next_attempt_at = ? WHERE id = ?")
            .bind(error)
            .bind(retry_at)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(super) fn online_account(r: &SqliteRow) -> Result<app::ports::OnlineAccount, StoreError> {
        Ok(app::ports::OnlineAccount {
            account_id: r.get("stripe_account_id"),
            status: OnlineStatus::from_code(&r.get::<String, _>("online_status")),
            requirements: from_json(&r.get::<String, _>("online_requirements"))?,
        })
    }
}
