//! Quotes in PostgreSQL: drafts, sending under a `D-` number, the acceptance link and answers.

use super::{backend, from_json, next_number, to_json, unknown, PgStore};
use app::domain::invoice_status::{document_number, QUOTE_PREFIX};
use app::domain::quote::QuoteHistoryEvent;
use app::domain::{Money, QuoteInput, QuoteStatus};
use app::ports::{
    BusinessId, InvoiceId, QuoteAnswer, QuoteFigures, QuoteHistoryEntry, QuoteId, QuoteRecord, QuoteStore,
    SendQuoteRefusal, SendQuoteRequest, StoreError,
};
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Row, Transaction};

/// Appends to a quote's timeline, inside the transaction that made it happen.
async fn add_event(
    tx: &mut Transaction<'_, Postgres>,
    business_id: BusinessId,
    quote_id: QuoteId,
    event: &QuoteHistoryEvent,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO quote_events (business_id, quote_id, at, detail) VALUES ($1, $2, $3, $4::jsonb)",
    )
    .bind(business_id)
    .bind(quote_id)
    .bind(now)
    .bind(to_json(event)?)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// The columns [`quote_record`] reads, JSONB ones as text.
const QUOTE_COLUMNS: &str = "id, status, number, content::text AS content, client_name, quote_date, valid_until,
    total_ht, total_tax, total_ttc, deposit, token_salt, seller_snapshot::text AS seller_snapshot,
    client_snapshot::text AS client_snapshot, logo_file, replaces_id, replaced_by_id, answer::text AS answer, sent_at";

fn quote_record(r: &PgRow) -> Result<QuoteRecord, StoreError> {
    let status: String = r.get("status");
    let json = |column: &str| r.get::<Option<String>, _>(column);
    Ok(QuoteRecord {
        id: r.get("id"),
        status: QuoteStatus::from_code(&status).ok_or_else(|| unknown("quote status"))?,
        number: r.get("number"),
        content: from_json(&r.get::<String, _>("content"))?,
        client_name: r.get("client_name"),
        date: r.get("quote_date"),
        valid_until: r.get("valid_until"),
        total_ht: Money::from_cents(r.get("total_ht")),
        total_tax: Money::from_cents(r.get("total_tax")),
        total_ttc: Money::from_cents(r.get("total_ttc")),
        deposit: Money::from_cents(r.get("deposit")),
        token_salt: r.get("token_salt"),
        seller: json("seller_snapshot").as_deref().map(from_json).transpose()?,
        client: json("client_snapshot").as_deref().map(from_json).transpose()?,
        logo_file: r.get("logo_file"),
        replaces: r.get("replaces_id"),
        replaced_by: r.get("replaced_by_id"),
        answer: json("answer").as_deref().map(from_json).transpose()?,
        sent_at: r.get("sent_at"),
    })
}

impl PgStore {
    /// Whether a write on a draft hit it: `NotFound` when the quote is not this business's,
    /// `Ok(false)` when it is no longer a draft.
    async fn draft_written(
        &self,
        rows: u64,
        business_id: BusinessId,
        id: QuoteId,
    ) -> Result<bool, StoreError> {
        if rows == 0 {
            self.quote(business_id, id).await?;
            return Ok(false);
        }
        Ok(true)
    }
}

#[async_trait]
impl QuoteStore for PgStore {
    async fn create_quote(
        &self,
        business_id: BusinessId,
        content: &QuoteInput,
        client_name: &str,
        replaces: Option<QuoteId>,
        now: i64,
    ) -> Result<QuoteId, StoreError> {
        // A new version only of this business's quotes.
        let (replaces, event) = match replaces {
            Some(old) => {
                let old = self.quote(business_id, old).await?;
                (Some(old.id), QuoteHistoryEvent::NewVersionOf { number: old.number.unwrap_or_default() })
            }
            None => (None, QuoteHistoryEvent::Created),
        };
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let id: i64 = sqlx::query(
            "INSERT INTO quotes (business_id, client_id, client_name, content, quote_date, valid_until, replaces_id,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(business_id)
        .bind(content.client_id)
        .bind(client_name)
        .bind(to_json(content)?)
        .bind(&content.date)
        .bind(&content.valid_until)
        .bind(replaces)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?
        .get(0);
        add_event(&mut tx, business_id, id, &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn update_quote_draft(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        content: &QuoteInput,
        client_name: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE quotes SET client_id = $1, client_name = $2, content = $3::jsonb, quote_date = $4, valid_until = $5,
                updated_at = $6
             WHERE business_id = $7 AND id = $8 AND status = 'draft'",
        )
        .bind(content.client_id)
        .bind(client_name)
        .bind(to_json(content)?)
        .bind(&content.date)
        .bind(&content.valid_until)
        .bind(now)
        .bind(business_id)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.draft_written(done.rows_affected(), business_id, id).await
    }

    async fn delete_quote_draft(&self, business_id: BusinessId, id: QuoteId) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM quotes WHERE business_id = $1 AND id = $2 AND status = 'draft'")
            .bind(business_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.draft_written(done.rows_affected(), business_id, id).await
    }

    async fn quote(&self, business_id: BusinessId, id: QuoteId) -> Result<QuoteRecord, StoreError> {
        let row =
            sqlx::query(&format!("SELECT {QUOTE_COLUMNS} FROM quotes WHERE business_id = $1 AND id = $2"))
                .bind(business_id)
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(backend)?;
        quote_record(&row)
    }

    async fn quotes(
        &self,
        business_id: BusinessId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<QuoteRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes WHERE business_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(business_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(quote_record).collect()
    }

    async fn send_quote(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        r: &SendQuoteRequest<'_>,
        now: i64,
    ) -> Result<Result<String, SendQuoteRefusal>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Writing first takes SQLite's write lock: concurrent senders queue.
        let frozen = sqlx::query(
            "UPDATE quotes SET status = 'sent', content = $1::jsonb, client_id = $2, client_name = $3, quote_date = $4,
                valid_until = $5, total_ht = $6, total_tax = $7, total_ttc = $8, deposit = $9, seller_snapshot = $10::jsonb,
                client_snapshot = $11::jsonb, token_salt = $12, token_hash = $13, logo_file = $14, sent_at = $15, updated_at = $16
             WHERE business_id = $17 AND id = $18 AND status = 'draft'
             RETURNING replaces_id",
        )
        .bind(to_json(r.content)?)
        .bind(r.content.client_id)
        .bind(&r.client.name)
        .bind(r.date)
        .bind(r.valid_until)
        .bind(r.totals[0].cents())
        .bind(r.totals[1].cents())
        .bind(r.totals[2].cents())
        .bind(r.deposit.cents())
        .bind(to_json(r.seller)?)
        .bind(to_json(r.client)?)
        .bind(r.token_salt)
        .bind(r.token_hash)
        .bind(r.logo_file)
        .bind(now)
        .bind(now)
        .bind(business_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let Some(frozen) = frozen else {
            tx.rollback().await.map_err(backend)?;
            self.quote(business_id, id).await?;
            return Ok(Err(SendQuoteRefusal::NotDraft));
        };
        let replaces: Option<QuoteId> = frozen.get("replaces_id");
        // The version it replaces can no longer be answered, unless the client answered first.
        if let Some(old) = replaces {
            let replaced = sqlx::query(
                "UPDATE quotes SET replaced_by_id = $1, updated_at = $2
                 WHERE business_id = $3 AND id = $4 AND status IN ('draft', 'sent', 'viewed')",
            )
            .bind(id)
            .bind(now)
            .bind(business_id)
            .bind(old)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if replaced.rows_affected() == 0 {
                tx.rollback().await.map_err(backend)?;
                return Ok(Err(SendQuoteRefusal::ReplacedAnswered));
            }
        }
        let sequence = next_number(&mut tx, business_id, "quote", r.year).await?;
        let number = document_number(QUOTE_PREFIX, r.year as i32, sequence as u32);
        sqlx::query("UPDATE quotes SET number = $1 WHERE id = $2")
            .bind(&number)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        add_event(&mut tx, business_id, id, &QuoteHistoryEvent::Sent { number: number.clone() }, now).await?;
        if let Some(old) = replaces {
            add_event(&mut tx, business_id, old, &QuoteHistoryEvent::Replaced { by: number.clone() }, now)
                .await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(Ok(number))
    }

    async fn quote_by_token(&self, token_hash: &str) -> Result<Option<(BusinessId, QuoteId)>, StoreError> {
        let row = sqlx::query("SELECT business_id, id FROM quotes WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn quote_figures(
        &self,
        business_id: BusinessId,
        today: &str,
        year_from: &str,
        year_to: &str,
    ) -> Result<QuoteFigures, StoreError> {
        let row = sqlx::query(
            "SELECT
                COUNT(*) FILTER (WHERE status IN ('sent', 'viewed') AND replaced_by_id IS NULL AND valid_until >= $1),
                COALESCE(SUM(total_ttc) FILTER (WHERE status IN ('sent', 'viewed') AND replaced_by_id IS NULL
                    AND valid_until >= $1), 0)::bigint,
                COUNT(*) FILTER (WHERE status <> 'draft' AND replaced_by_id IS NULL AND quote_date BETWEEN $2 AND $3),
                COUNT(*) FILTER (WHERE status IN ('accepted', 'invoiced') AND quote_date BETWEEN $2 AND $3)
             FROM quotes WHERE business_id = $4",
        )
        .bind(today)
        .bind(year_from)
        .bind(year_to)
        .bind(business_id)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(QuoteFigures {
            awaiting: row.get(0),
            awaiting_ttc: Money::from_cents(row.get(1)),
            sent_in_year: row.get(2),
            accepted_in_year: row.get(3),
        })
    }

    async fn quote_invoices(
        &self,
        business_id: BusinessId,
        id: QuoteId,
    ) -> Result<Vec<InvoiceId>, StoreError> {
        let rows =
            sqlx::query("SELECT id FROM invoices WHERE business_id = $1 AND quote_id = $2 ORDER BY id")
                .bind(business_id)
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn change_quote_status(
        &self,
        business_id: BusinessId,
        id: QuoteId,
        from: QuoteStatus,
        to: QuoteStatus,
        answer: Option<&QuoteAnswer>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let event = QuoteHistoryEvent::on_status(
            to,
            answer.map_or("", |a| a.full_name.as_str()),
            answer.map_or("", |a| a.reason.as_str()),
        );
        let answer = answer.map(to_json).transpose()?;
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE quotes SET status = $1, answer = COALESCE($2::jsonb, answer), updated_at = $3
             WHERE business_id = $4 AND id = $5 AND status = $6 AND replaced_by_id IS NULL",
        )
        .bind(to.code())
        .bind(answer)
        .bind(now)
        .bind(business_id)
        .bind(id)
        .bind(from.code())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() != 1 {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        if let Some(event) = event {
            add_event(&mut tx, business_id, id, &event, now).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn quote_history(
        &self,
        business_id: BusinessId,
        id: QuoteId,
    ) -> Result<Vec<QuoteHistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, detail::text AS detail FROM quote_events WHERE business_id = $1 AND quote_id = $2 ORDER BY id",
        )
        .bind(business_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(QuoteHistoryEntry { at: r.get("at"), event: from_json(&r.get::<String, _>("detail"))? })
            })
            .collect()
    }
}
