//! Invoices and credit notes in PostgreSQL: drafts, issuing with its numbering, credit notes,
//! the list, timelines and the pay link's look-up.

use super::{
    add_event, apply_change, backend, from_json, invoice_record, lock_business, next_number, one_row,
    to_json, PgStore, INVOICE_COLUMNS,
};
use app::domain::invoice_status::{document_number, CREDIT_NOTE_PREFIX};
use app::domain::search::{fold_sql, like_contains};
use app::domain::{HistoryEvent, InvoiceInput, InvoiceStatus, ListSort, Money};
use app::ports::{
    BusinessId, CreditNoteRequest, HistoryEntry, InvoiceId, InvoicePage, InvoiceQuery, InvoiceRecord,
    InvoiceStore, IssueRefusal, IssueRequest, StoreError,
};
use async_trait::async_trait;
use sqlx::Row;
use std::sync::LazyLock;

/// The invoice list's conditions; binds business ($1), client or NULL ($2), search pattern
/// ($3), filter code ($4) and today ($5). The filter is one of: all (''), overdue, credit notes,
/// or a stored status.
static MATCHES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "business_id = $1
    AND ($2::bigint IS NULL OR client_id = $2)
    AND ($3 = '%%' OR lower(coalesce(number, '')) LIKE $3 ESCAPE '\\' OR {} LIKE $3 ESCAPE '\\')
    AND ($4 = ''
         OR ($4 = 'overdue' AND kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')
             AND due_date < $5)
         OR ($4 = 'credit_notes' AND kind = 'credit_note')
         OR ($4 NOT IN ('', 'overdue', 'credit_notes') AND kind = 'invoice' AND status = $4))",
        fold_sql("client_name")
    )
});

#[async_trait]
impl InvoiceStore for PgStore {
    async fn create_draft(
        &self,
        business_id: BusinessId,
        content: &InvoiceInput,
        now: i64,
    ) -> Result<InvoiceId, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let id: i64 = sqlx::query(
            "INSERT INTO invoices (business_id, content, issue_date, due_date, created_at, updated_at, quote_id)
             VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(business_id)
        .bind(to_json(content)?)
        .bind(&content.issue_date)
        .bind(&content.due_date)
        .bind(now)
        .bind(now)
        .bind(content.quote_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?
        .get(0);
        add_event(&mut tx, business_id, id, &HistoryEvent::Created, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn update_draft(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        content: &InvoiceInput,
        client_name: &str,
        totals: [Money; 3],
        now: i64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE invoices SET content = $1::jsonb, client_id = $2, client_name = $3, issue_date = $4,
                due_date = $5, total_ht = $6, total_tax = $7, total_ttc = $8, updated_at = $9, quote_id = $12
             WHERE business_id = $10 AND id = $11 AND status = 'draft'",
        )
        .bind(to_json(content)?)
        .bind(content.client_id)
        .bind(client_name)
        .bind(&content.issue_date)
        .bind(&content.due_date)
        .bind(totals[0].cents())
        .bind(totals[1].cents())
        .bind(totals[2].cents())
        .bind(now)
        .bind(business_id)
        .bind(id)
        .bind(content.quote_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn delete_draft(&self, business_id: BusinessId, id: InvoiceId) -> Result<(), StoreError> {
        // The draft's timeline goes with it (ON DELETE CASCADE).
        let done =
            sqlx::query("DELETE FROM invoices WHERE business_id = $1 AND id = $2 AND status = 'draft'")
                .bind(business_id)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        one_row(done)
    }

    async fn invoice(&self, business_id: BusinessId, id: InvoiceId) -> Result<InvoiceRecord, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE business_id = $1 AND id = $2"
        ))
        .bind(business_id)
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        invoice_record(&row)
    }

    async fn list_invoices(
        &self,
        business_id: BusinessId,
        q: &InvoiceQuery,
    ) -> Result<InvoicePage, StoreError> {
        let pattern = like_contains(&q.search);
        let matches = &*MATCHES;
        let filter = q.filter.code();
        // The order comes from a closed list, never from the request's text.
        let order = match q.sort {
            ListSort::Newest => "(status = 'draft') DESC, issue_date DESC, id DESC",
            ListSort::Oldest => "issue_date ASC, id ASC",
            ListSort::AmountHigh => "total_ttc DESC, id DESC",
            ListSort::AmountLow => "total_ttc ASC, id ASC",
        };
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE {matches} ORDER BY {order} LIMIT $6 OFFSET $7"
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
            "SELECT count(*) AS n,
                coalesce(sum(CASE WHEN status = 'draft' AND $4 <> 'draft' THEN 0
                                  WHEN kind = 'credit_note' THEN -total_ttc ELSE total_ttc END), 0)::bigint AS ttc,
                coalesce(sum(CASE WHEN kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')
                                  THEN GREATEST(total_ttc - amount_credited - amount_paid, 0) ELSE 0 END), 0)::bigint
                    AS due
             FROM invoices WHERE {matches}"
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
            count: sums.get("n"),
            total_ttc: Money::from_cents(sums.get("ttc")),
            total_due: Money::from_cents(sums.get("due")),
        })
    }

    async fn issue_invoice(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        r: &IssueRequest<'_>,
        now: i64,
    ) -> Result<Result<String, IssueRefusal>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Issuers of one business queue here until this transaction ends, so the check that no
        // later-dated invoice is numbered, and the number taken, are not raced by another issue.
        lock_business(&mut tx, business_id).await?;
        let frozen = sqlx::query(
            "UPDATE invoices SET status = 'issued', content = $1::jsonb, client_id = $2, client_name = $3,
                issue_date = $4, due_date = $5, total_ht = $6, total_tax = $7, total_ttc = $8,
                seller_snapshot = $9::jsonb, client_snapshot = $10::jsonb, pay_token_salt = $11,
                pay_token_hash = $12, issued_at = $13, updated_at = $14, logo_file = $17
             WHERE business_id = $15 AND id = $16 AND status = 'draft'
               AND NOT EXISTS (SELECT 1 FROM invoices later WHERE later.business_id = $15 AND later.kind = 'invoice'
                               AND later.number IS NOT NULL AND later.issue_date > $4)",
        )
        .bind(to_json(r.content)?)
        .bind(r.content.client_id)
        .bind(&r.client.name)
        .bind(r.issue_date)
        .bind(r.due_date)
        .bind(r.totals[0].cents())
        .bind(r.totals[1].cents())
        .bind(r.totals[2].cents())
        .bind(to_json(r.seller)?)
        .bind(to_json(r.client)?)
        .bind(r.pay_token_salt)
        .bind(r.pay_token_hash)
        .bind(now)
        .bind(now)
        .bind(business_id)
        .bind(id)
        .bind(r.logo_file)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if frozen.rows_affected() == 0 {
            // Still a draft: refused because of the dates. `NotFound` when it is not this business's.
            let status: String = sqlx::query_scalar::<_, String>(
                "SELECT status FROM invoices WHERE business_id = $1 AND id = $2",
            )
            .bind(business_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
            tx.rollback().await.map_err(backend)?;
            let still_draft = status == InvoiceStatus::Draft.code();
            return Ok(Err(if still_draft { IssueRefusal::OutOfOrder } else { IssueRefusal::NotDraft }));
        }
        let sequence = next_number(&mut tx, business_id, "invoice", r.year).await?;
        let number = document_number(r.number_prefix, r.year as i32, sequence as u32);
        sqlx::query("UPDATE invoices SET number = $1 WHERE business_id = $2 AND id = $3")
            .bind(&number)
            .bind(business_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        add_event(&mut tx, business_id, id, &HistoryEvent::Issued { number: number.clone() }, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(Ok(number))
    }

    async fn last_invoice_sequence(&self, business_id: BusinessId, year: i64) -> Result<i64, StoreError> {
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT last FROM document_sequences WHERE business_id = $1 AND kind = 'invoice' AND year = $2",
        )
        .bind(business_id)
        .bind(year)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(last.unwrap_or(0))
    }

    async fn credit_notes(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<InvoiceRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE business_id = $1 AND credited_invoice_id = $2 ORDER BY id"
        ))
        .bind(business_id)
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(invoice_record).collect()
    }

    async fn issue_credit_note(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        r: &CreditNoteRequest<'_>,
        now: i64,
    ) -> Result<Option<InvoiceId>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The same per-business lock as issuing invoices: credit note numbers queue too.
        lock_business(&mut tx, business_id).await?;
        // The change refuses an invoice changed since it was read; it holds the invoice's row
        // lock until commit, so payments and other credits wait and then see this one.
        if !apply_change(&mut tx, business_id, invoice_id, &r.change, now).await? {
            tx.rollback().await.map_err(backend)?;
            return Ok(None);
        }
        let status = r.change.to.status;
        let invoice = invoice_record(
            &sqlx::query(&format!(
                "SELECT {INVOICE_COLUMNS} FROM invoices WHERE business_id = $1 AND id = $2"
            ))
            .bind(business_id)
            .bind(invoice_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?,
        )?;
        let sequence = next_number(&mut tx, business_id, "credit_note", r.year).await?;
        let number = document_number(CREDIT_NOTE_PREFIX, r.year as i32, sequence as u32);
        let invoice_number = invoice.number.clone().unwrap_or_default();
        // The credit note copies the invoice's client and snapshots; it is due on its own date.
        let note_id: i64 = sqlx::query(
            "INSERT INTO invoices (business_id, kind, status, number, client_id, client_name, content, issue_date,
                due_date, total_ht, total_tax, total_ttc, seller_snapshot, client_snapshot, credited_invoice_id,
                logo_file, issued_at, created_at, updated_at)
             SELECT business_id, 'credit_note', 'issued', $1, client_id, client_name, $2::jsonb, $3, $4, $5, $6,
                $7, seller_snapshot, client_snapshot, id, logo_file, $8, $9, $10
             FROM invoices WHERE business_id = $11 AND id = $12 RETURNING id",
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
        .bind(business_id)
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

    async fn history(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, detail::text AS detail FROM invoice_events
             WHERE business_id = $1 AND invoice_id = $2 ORDER BY id",
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

    async fn invoice_by_pay_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(BusinessId, InvoiceId)>, StoreError> {
        let row = sqlx::query("SELECT business_id, id FROM invoices WHERE pay_token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn record_view(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        date: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let event = HistoryEvent::Viewed { date: date.to_owned() };
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Two views at once (two instances, or a page loaded twice) would both find no entry
        // for the day under READ COMMITTED: the invoice's row lock makes the second wait, and
        // its INSERT, a new statement, then sees the first's entry.
        sqlx::query("SELECT id FROM invoices WHERE business_id = $1 AND id = $2 FOR NO KEY UPDATE")
            .bind(business_id)
            .bind(invoice_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        // A view already noted that day inserts nothing (JSONB equality ignores key order).
        sqlx::query(
            "INSERT INTO invoice_events (business_id, invoice_id, at, detail)
             SELECT $1, $2, $3, $4::jsonb WHERE NOT EXISTS (
                 SELECT 1 FROM invoice_events WHERE business_id = $1 AND invoice_id = $2 AND detail = $4::jsonb)",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(now)
        .bind(to_json(&event)?)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }
}
