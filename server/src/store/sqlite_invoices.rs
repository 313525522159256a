//! The SQLite store's invoice list, credit notes and timelines.

use super::sqlite::{backend, from_json, invoice_record, to_json, SqliteStore};
use app::domain::invoice_status::{document_number, CREDIT_NOTE_PREFIX};
use app::domain::{status_after_credit, HistoryEvent, InvoiceStatus, ListSort, Money};
use app::ports::{
    BusinessId, CreditNoteRequest, HistoryEntry, InvoiceId, InvoicePage, InvoiceQuery, InvoiceRecord,
    StoreError,
};
use sqlx::{Row, Sqlite, Transaction};

/// Appends to an invoice's timeline, inside the transaction that made it happen.
pub(super) async fn add_event(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    event: &HistoryEvent,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO invoice_events (business_id, invoice_id, at, detail) VALUES (?, ?, ?, ?)")
        .bind(business_id)
        .bind(invoice_id)
        .bind(now)
        .bind(to_json(event)?)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The next number of a sequence; the row lock makes concurrent takers queue.
pub(super) async fn next_number(
    tx: &mut Transaction<'_, Sqlite>,
    business_id: BusinessId,
    kind: &str,
    year: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO document_sequences (business_id, kind, year, last) VALUES (?, ?, ?, 1)
         ON CONFLICT (business_id, kind, year) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(business_id)
    .bind(kind)
    .bind(year)
    .fetch_one(&mut **tx)
    .await
    .map_err(backend)?
    .get(0))
}

/// `%text%` for LIKE, with LIKE's own wildcards taken literally.
fn contains_pattern(text: &str) -> String {
    let escaped = text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

const MATCHES: &str = "business_id = ?1
    AND (?2 IS NULL OR client_id = ?2)
    AND (?3 = '%%' OR coalesce(number, '') LIKE ?3 ESCAPE '\\' OR client_name LIKE ?3 ESCAPE '\\')
    AND CASE ?4
        WHEN '' THEN 1
        WHEN 'overdue' THEN kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid') AND due_date < ?5
        WHEN 'credit_notes' THEN kind = 'credit_note'
        ELSE kind = 'invoice' AND status = ?4
    END";

impl SqliteStore {
    pub(super) async fn list_invoices_page(
        &self,
        business_id: BusinessId,
        q: &InvoiceQuery,
    ) -> Result<InvoicePage, StoreError> {
        let pattern = contains_pattern(&q.search);
        let filter = q.filter.code();
        // The order comes from a closed list, never from the request's text.
        let order = match q.sort {
            ListSort::Newest => "(status = 'draft') DESC, issue_date DESC, id DESC",
            ListSort::Oldest => "issue_date ASC, id ASC",
            ListSort::AmountHigh => "total_ttc DESC, id DESC",
            ListSort::AmountLow => "total_ttc ASC, id ASC",
        };
        let rows = sqlx::query(&format!(
            "SELECT * FROM invoices WHERE {MATCHES} ORDER BY {order} LIMIT ?6 OFFSET ?7"
        ))
        .bind(business_id)
        .bind(q.client_id)
        .bind(&pattern)
        .bind(filter)
        .bind(&q.today)
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let items = rows.iter().map(invoice_record).collect::<Result<Vec<_>, _>>()?;
        // Drafts are not yet invoices: their amounts count only when drafts are asked for.
        let sums = sqlx::query(&format!(
            "SELECT count(*),
                coalesce(sum(CASE WHEN status = 'draft' AND ?4 <> 'draft' THEN 0
                                  WHEN kind = 'credit_note' THEN -total_ttc ELSE total_ttc END), 0),
                coalesce(sum(CASE WHEN kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')
                                  THEN max(total_ttc - amount_credited - amount_paid, 0) ELSE 0 END), 0)
             FROM invoices WHERE {MATCHES}"
        ))
        .bind(business_id)
        .bind(q.client_id)
        .bind(&pattern)
        .bind(filter)
        .bind(&q.today)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(InvoicePage {
            items,
            count: sums.get(0),
            total_ttc: Money::from_cents(sums.get(1)),
            total_due: Money::from_cents(sums.get(2)),
        })
    }

    pub(super) async fn credit_notes_of(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<InvoiceRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM invoices WHERE business_id = ? AND credited_invoice_id = ? ORDER BY id",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(invoice_record).collect()
    }

    pub(super) async fn credit_invoice(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        r: &CreditNoteRequest<'_>,
        now: i64,
    ) -> Result<Option<InvoiceId>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Writing first takes the write lock; the guard refuses an invoice changed meanwhile.
        let guarded = sqlx::query(
            "UPDATE invoices SET updated_at = ? WHERE business_id = ? AND id = ? AND kind = 'invoice'
               AND status IN ('issued', 'sent', 'partially_paid', 'paid') AND amount_credited = ?",
        )
        .bind(now)
        .bind(business_id)
        .bind(invoice_id)
        .bind(r.expected_credited.cents())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if guarded.rows_affected() == 0 {
            tx.rollback().await.map_err(backend)?;
            return Ok(None);
        }
        let invoice = invoice_record(
            &sqlx::query("SELECT * FROM invoices WHERE id = ?")
                .bind(invoice_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?,
        )?;
        let credited = invoice.amount_credited + r.totals[2];
        if credited > invoice.total_ttc {
            tx.rollback().await.map_err(backend)?;
            return Ok(None);
        }
        let status = status_after_credit(invoice.status, invoice.total_ttc, invoice.amount_paid, credited);
        sqlx::query("UPDATE invoices SET amount_credited = ?, status = ? WHERE id = ?")
            .bind(credited.cents())
            .bind(status.code())
            .bind(invoice_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        let sequence = next_number(&mut tx, business_id, "credit_note", r.year).await?;
        let number = document_number(CREDIT_NOTE_PREFIX, r.year as i32, sequence as u32);
        let invoice_number = invoice.number.clone().unwrap_or_default();
        let note_id: i64 = sqlx::query(
            "INSERT INTO invoices (business_id, kind, status, number, client_id, client_name, content, issue_date,
                due_date, total_ht, total_tax, total_ttc, seller_snapshot, client_snapshot, credited_invoice_id,
                issued_at, created_at, updated_at)
             SELECT business_id, 'credit_note', 'issued', ?, client_id, client_name, ?, ?, ?, ?, ?, ?,
                seller_snapshot, client_snapshot, id, ?, ?, ?
             FROM invoices WHERE id = ? RETURNING id",
        )
        .bind(&number)
        .bind(to_json(r.content)?)
        .bind(r.issue_date)
        .bind(r.issue_date)
        .bind(r.totals[0].cents())
        .bind(r.totals[1].cents())
        .bind(r.totals[2].cents())
        .bind(now)
        .bind(now)
        .bind(now)
        .bind(invoice_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?
        .get(0);
        let credited_event = HistoryEvent::Credited {
            credit_note_id: note_id,
            number: number.clone(),
            amount_cents: r.totals[2].cents(),
        };
        add_event(&mut tx, business_id, invoice_id, &credited_event, now).await?;
        if status == InvoiceStatus::Cancelled {
            add_event(&mut tx, business_id, invoice_id, &HistoryEvent::Cancelled, now).await?;
        }
        let for_event = HistoryEvent::CreditNoteFor { invoice_id, number: invoice_number };
        add_event(&mut tx, business_id, note_id, &for_event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(Some(note_id))
    }

    pub(super) async fn history_of(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, detail FROM invoice_events WHERE business_id = ? AND invoice_id = ? ORDER BY id",
        )
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| Ok(HistoryEntry { at: r.get("at"), event: from_json(&r.get::<String, _>("detail"))? }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(super::contains_pattern(" 50%_x\\ "), "%50\\%\\_x\\\\%");
    }
}
