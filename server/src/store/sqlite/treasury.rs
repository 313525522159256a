//! The dashboard's and the livre des recettes' reads in SQLite.

use super::{backend, SqliteStore};
use app::domain::{InvoiceStatus, Money};
use app::ports::{
    AmountsDue, BusinessId, DueInvoice, MonthRevenue, ReceiptLine, StatusCount, StoreError, TreasuryStore,
};
use async_trait::async_trait;
use sqlx::Row;

/// Payments and refunds (negated) as one list of receipts; binds business, from, to.
const RECEIPTS: &str = "
    SELECT received_on AS day, amount_cents AS amount, fee_cents AS fee, revenue_ht_cents AS ht,
           operation, method, invoice_id, NULL AS credit_note_id, id, 0 AS refund, test
      FROM payments WHERE business_id = ?1 AND received_on BETWEEN ?2 AND ?3
    UNION ALL
    SELECT refunded_on, -amount_cents, 0, -revenue_ht_cents, operation, method, invoice_id, credit_note_id, id, 1, 0
      FROM refunds WHERE business_id = ?1 AND refunded_on BETWEEN ?2 AND ?3";

/// The newest `?4` of each side only, read backwards along the date indexes: the dashboard's
/// last receipts without sorting years of payments.
const NEWEST_RECEIPTS: &str = "
    SELECT * FROM (SELECT received_on AS day, amount_cents AS amount, fee_cents AS fee, revenue_ht_cents AS ht,
                          operation, method, invoice_id, NULL AS credit_note_id, id, 0 AS refund, test
                   FROM payments WHERE business_id = ?1 AND received_on BETWEEN ?2 AND ?3
                   ORDER BY received_on DESC, id DESC LIMIT ?4)
    UNION ALL
    SELECT * FROM (SELECT refunded_on, -amount_cents, 0, -revenue_ht_cents, operation, method, invoice_id,
                          credit_note_id, id, 1, 0
                   FROM refunds WHERE business_id = ?1 AND refunded_on BETWEEN ?2 AND ?3
                   ORDER BY refunded_on DESC, id DESC LIMIT ?4)";

#[async_trait]
impl TreasuryStore for SqliteStore {
    async fn amounts_due(&self, business_id: BusinessId, today: &str) -> Result<AmountsDue, StoreError> {
        let due = sqlx::query(
            "SELECT COALESCE(SUM(total_ttc - amount_credited - amount_paid), 0),
                    COALESCE(SUM(CASE WHEN due_date < ? THEN total_ttc - amount_credited - amount_paid ELSE 0 END), 0)
             FROM invoices WHERE business_id = ? AND kind = 'invoice'
               AND status IN ('issued', 'sent', 'partially_paid')",
        )
        .bind(today)
        .bind(business_id)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(AmountsDue { outstanding: Money::from_cents(due.get(0)), overdue: Money::from_cents(due.get(1)) })
    }

    async fn received_between(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Money, StoreError> {
        let cents: i64 = sqlx::query_scalar(
            "SELECT (SELECT COALESCE(SUM(amount_cents), 0) FROM payments
                     WHERE business_id = ?1 AND received_on BETWEEN ?2 AND ?3)
                  - (SELECT COALESCE(SUM(amount_cents), 0) FROM refunds
                     WHERE business_id = ?1 AND refunded_on BETWEEN ?2 AND ?3)",
        )
        .bind(business_id)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(Money::from_cents(cents))
    }

    async fn revenue_by_month(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthRevenue>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT substr(day, 1, 7) AS month, operation, SUM(amount) AS received, SUM(fee) AS fees, COALESCE(SUM(ht), 0) AS ht
             FROM ({RECEIPTS}) GROUP BY month, operation ORDER BY month, operation"
        ))
        .bind(business_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| MonthRevenue {
                month: r.get("month"),
                operation: r.get("operation"),
                received: Money::from_cents(r.get("received")),
                fees: Money::from_cents(r.get("fees")),
                revenue_ht: Money::from_cents(r.get("ht")),
            })
            .collect())
    }

    async fn receipt_lines(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
        newest: Option<i64>,
    ) -> Result<Vec<ReceiptLine>, StoreError> {
        let (receipts, order) = match newest {
            Some(_) => (NEWEST_RECEIPTS, "ORDER BY r.day DESC, r.refund DESC, r.id DESC LIMIT ?4"),
            None => (RECEIPTS, "ORDER BY r.day, r.refund, r.id"),
        };
        let sql = format!(
            "SELECT r.day, r.amount, r.fee, r.ht, r.operation, r.method, r.invoice_id,
                    COALESCE(i.number, '') AS number, i.client_name,
                    COALESCE(json_extract(i.content, '$.lines[0].description'), '') AS description,
                    COALESCE(json_array_length(i.content, '$.lines'), 0) AS line_count,
                    c.number AS credit_note_number, r.test
             FROM ({receipts}) r
             JOIN invoices i ON i.id = r.invoice_id
             LEFT JOIN invoices c ON c.id = r.credit_note_id
             {order}"
        );
        let mut query = sqlx::query(&sql).bind(business_id).bind(from).bind(to);
        if let Some(n) = newest {
            query = query.bind(n.max(0));
        }
        let rows = query.fetch_all(&self.pool).await.map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| ReceiptLine {
                date: r.get("day"),
                invoice_id: r.get("invoice_id"),
                invoice_number: r.get("number"),
                client: r.get("client_name"),
                operation: r.get("operation"),
                description: r.get("description"),
                line_count: r.get("line_count"),
                amount: Money::from_cents(r.get("amount")),
                revenue_ht: Money::from_cents(r.get("ht")),
                fee: Money::from_cents(r.get("fee")),
                method: r.get("method"),
                credit_note_number: r.get("credit_note_number"),
                test: r.get("test"),
            })
            .collect())
    }

    async fn invoice_counts(&self, business_id: BusinessId) -> Result<Vec<StatusCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n, COALESCE(SUM(total_ttc), 0) AS total FROM invoices
             WHERE business_id = ? AND kind = 'invoice' GROUP BY status",
        )
        .bind(business_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                let status: String = r.get("status");
                Ok(StatusCount {
                    status: InvoiceStatus::from_code(&status)
                        .ok_or_else(|| StoreError::Backend("unknown status in the database".into()))?,
                    count: r.get("n"),
                    total: Money::from_cents(r.get("total")),
                })
            })
            .collect()
    }

    async fn next_due(&self, business_id: BusinessId, limit: i64) -> Result<Vec<DueInvoice>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, number, client_name, due_date, total_ttc - amount_credited - amount_paid AS due
             FROM invoices WHERE business_id = ? AND kind = 'invoice'
               AND status IN ('issued', 'sent', 'partially_paid')
             ORDER BY due_date, id LIMIT ?",
        )
        .bind(business_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| DueInvoice {
                id: r.get("id"),
                number: r.get::<Option<String>, _>("number").unwrap_or_default(),
                client: r.get("client_name"),
                due_date: r.get("due_date"),
                due: Money::from_cents(r.get("due")),
            })
            .collect())
    }
}
