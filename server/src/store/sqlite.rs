//! The SQLite store: one file, for a single instance.

use super::sqlite_invoices::{add_event, next_number};
use app::domain::invoice_status::document_number;
use app::domain::HistoryEvent;
use app::domain::{
    BusinessProfile, BusinessProfileInput, Client, ClientInput, DocumentKind, Email, InvoiceInput,
    InvoiceStatus, Money,
};
use app::ports::{
    ApiKeyRecord, BusinessId, BusinessRecord, ClientId, ClientRecord, Credentials, CreditNoteRequest,
    HistoryEntry, InvoiceId, InvoicePage, InvoiceQuery, InvoiceRecord, IssueRefusal, IssueRequest,
    PasswordHash, PaymentRecord, SessionUser, Store, StoreError,
};
use app::ports::{CheckoutAttempt, OnlinePaymentOutcome, OutgoingEmail, StripeEvent};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::sqlite::{SqliteQueryResult, SqliteRow};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
}

pub(super) fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("unique"),
        sqlx::Error::RowNotFound => StoreError::NotFound,
        _ => StoreError::Backend(Box::new(e)),
    }
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("../migrations/sqlite").run(&self.pool).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(backend)?;
        Ok(())
    }

    async fn create_account(
        &self,
        email: &Email,
        password_hash: &PasswordHash,
        defaults: &BusinessProfileInput,
        now: i64,
    ) -> Result<SessionUser, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let business_id: i64 = sqlx::query(
            "INSERT INTO businesses (activity, vat_status, payment_terms_days, late_penalty_bp, invoice_prefix, brand_color, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&defaults.activity)
        .bind(&defaults.vat_status)
        .bind(defaults.payment_terms_days.parse::<i64>().unwrap_or(30))
        .bind(app::domain::business_profile::parse_rate_bp(&defaults.late_penalty_rate).unwrap_or(1_000))
        .bind(&defaults.invoice_prefix)
        .bind(&defaults.brand_color)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?
        .get(0);
        let user_id: i64 = sqlx::query(
            "INSERT INTO users (business_id, email, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(business_id)
        .bind(email.as_str())
        .bind(&password_hash.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?
        .get(0);
        tx.commit().await.map_err(backend)?;
        Ok(SessionUser { user_id, business_id, email: email.as_str().to_owned() })
    }

    async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query("SELECT id, business_id, password_hash FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| Credentials {
            user_id: r.get("id"),
            business_id: r.get("business_id"),
            password_hash: PasswordHash(r.get("password_hash")),
        }))
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user: &SessionUser,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, business_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user.user_id)
            .bind(user.business_id)
            .bind(now)
            .bind(expires_at)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        // Expired sessions are swept here rather than by a separate job.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn find_session(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>, StoreError> {
        let row = sqlx::query(
            "SELECT s.user_id, s.business_id, u.email FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| SessionUser {
            user_id: r.get("user_id"),
            business_id: r.get("business_id"),
            email: r.get("email"),
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn business(&self, business_id: BusinessId) -> Result<BusinessRecord, StoreError> {
        let r = sqlx::query("SELECT * FROM businesses WHERE id = ?")
            .bind(business_id)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        let terms: i64 = r.get("payment_terms_days");
        let penalty: i64 = r.get("late_penalty_bp");
        Ok(BusinessRecord {
            id: r.get("id"),
            profile: BusinessProfileInput {
                name: r.get("name"),
                address_line1: r.get("address_line1"),
                address_line2: r.get("address_line2"),
                postal_code: r.get("postal_code"),
                city: r.get("city"),
                email: r.get("email"),
                phone: r.get("phone"),
                siret: r.get("siret"),
                activity: r.get("activity"),
                vat_status: r.get("vat_status"),
                vat_number: r.get("vat_number"),
                iban: r.get("iban"),
                bic: r.get("bic"),
                payment_terms_days: terms.to_string(),
                late_penalty_rate: app::domain::business_profile::format_rate_bp(
                    u32::try_from(penalty).unwrap_or(0),
                ),
                invoice_prefix: r.get("invoice_prefix"),
                brand_color: r.get("brand_color"),
            },
            profile_complete: r.get::<i64, _>("profile_complete") != 0,
            logo_file: r.get("logo_file"),
            default_payment_methods: from_json(&r.get::<String, _>("default_payment_methods"))?,
            online: Self::online_account(&r)?,
        })
    }

    async fn save_profile(
        &self,
        business_id: BusinessId,
        profile: &BusinessProfile,
        now: i64,
    ) -> Result<(), StoreError> {
        let p = profile.to_input();
        let done = sqlx::query(
            "UPDATE businesses SET name = ?, address_line1 = ?, address_line2 = ?, postal_code = ?, city = ?,
                email = ?, phone = ?, siret = ?, activity = ?, vat_status = ?, vat_number = ?, iban = ?, bic = ?,
                payment_terms_days = ?, late_penalty_bp = ?, invoice_prefix = ?, brand_color = ?,
                profile_complete = 1, updated_at = ?
             WHERE id = ?",
        )
        .bind(&p.name)
        .bind(&p.address_line1)
        .bind(&p.address_line2)
        .bind(&p.postal_code)
        .bind(&p.city)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(profile.siret.as_str())
        .bind(&p.activity)
        .bind(&p.vat_status)
        .bind(&p.vat_number)
        .bind(profile.iban.as_ref().map(|i| i.as_str()).unwrap_or_default())
        .bind(&p.bic)
        .bind(i64::from(profile.payment_terms_days))
        .bind(i64::from(profile.late_penalty_bp))
        .bind(&p.invoice_prefix)
        .bind(&p.brand_color)
        .bind(now)
        .bind(business_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn set_logo(
        &self,
        business_id: BusinessId,
        logo_file: Option<&str>,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let previous: Option<String> = sqlx::query("SELECT logo_file FROM businesses WHERE id = ?")
            .bind(business_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?
            .get(0);
        sqlx::query("UPDATE businesses SET logo_file = ?, updated_at = ? WHERE id = ?")
            .bind(logo_file)
            .bind(now)
            .bind(business_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(previous)
    }

    async fn logo_in_use(&self, logo_file: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM businesses WHERE logo_file = ?")
            .bind(logo_file)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?
            .get(0);
        Ok(n > 0)
    }

    async fn list_clients(
        &self,
        business_id: BusinessId,
        search: &str,
        archived: bool,
    ) -> Result<Vec<ClientRecord>, StoreError> {
        let pattern =
            format!("%{}%", search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rows = sqlx::query(
            "SELECT * FROM clients WHERE business_id = ?1 AND archived = ?2
               AND (name LIKE ?3 ESCAPE '\\' OR email LIKE ?3 ESCAPE '\\' OR siren LIKE ?3 ESCAPE '\\')
             ORDER BY name COLLATE NOCASE, id",
        )
        .bind(business_id)
        .bind(archived)
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.iter().map(client_record).collect())
    }

    async fn client(&self, business_id: BusinessId, id: ClientId) -> Result<ClientRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM clients WHERE business_id = ? AND id = ?")
            .bind(business_id)
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(client_record(&row))
    }

    async fn create_client(
        &self,
        business_id: BusinessId,
        client: &Client,
        now: i64,
    ) -> Result<ClientId, StoreError> {
        let columns = client_columns(client);
        let query = sqlx::query(
            "INSERT INTO clients (business_id, kind, name, siren, vat_number, email, address_line1, address_line2,
                postal_code, city, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(business_id);
        let id: i64 = bind_client(query, &columns)
            .bind(now)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?
            .get(0);
        Ok(id)
    }

    async fn update_client(
        &self,
        business_id: BusinessId,
        id: ClientId,
        client: &Client,
        now: i64,
    ) -> Result<(), StoreError> {
        let columns = client_columns(client);
        let query = sqlx::query(
            "UPDATE clients SET kind = ?, name = ?, siren = ?, vat_number = ?, email = ?, address_line1 = ?,
                address_line2 = ?, postal_code = ?, city = ?, updated_at = ?
             WHERE business_id = ? AND id = ?",
        );
        let done = bind_client(query, &columns)
            .bind(now)
            .bind(business_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        one_row(done)
    }

    async fn set_client_archived(
        &self,
        business_id: BusinessId,
        id: ClientId,
        archived: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE clients SET archived = ?, updated_at = ? WHERE business_id = ? AND id = ?")
                .bind(archived)
                .bind(now)
                .bind(business_id)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        one_row(done)
    }
    async fn create_draft(
        &self,
        business_id: BusinessId,
        content: &InvoiceInput,
        now: i64,
    ) -> Result<InvoiceId, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let id: i64 = sqlx::query(
            "INSERT INTO invoices (business_id, content, issue_date, due_date, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(business_id)
        .bind(to_json(content)?)
        .bind(&content.issue_date)
        .bind(&content.due_date)
        .bind(now)
        .bind(now)
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
            "UPDATE invoices SET content = ?, client_id = ?, client_name = ?, issue_date = ?, due_date = ?,
                total_ht = ?, total_tax = ?, total_ttc = ?, updated_at = ?
             WHERE business_id = ? AND id = ? AND status = 'draft'",
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
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn delete_draft(&self, business_id: BusinessId, id: InvoiceId) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM invoices WHERE business_id = ? AND id = ? AND status = 'draft'")
            .bind(business_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        one_row(done)
    }

    async fn invoice(&self, business_id: BusinessId, id: InvoiceId) -> Result<InvoiceRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM invoices WHERE business_id = ? AND id = ?")
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
        query: &InvoiceQuery,
    ) -> Result<InvoicePage, StoreError> {
        self.list_invoices_page(business_id, query).await
    }

    async fn credit_notes(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<InvoiceRecord>, StoreError> {
        self.credit_notes_of(business_id, invoice_id).await
    }

    async fn issue_credit_note(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        request: &CreditNoteRequest<'_>,
        now: i64,
    ) -> Result<Option<InvoiceId>, StoreError> {
        self.credit_invoice(business_id, invoice_id, request, now).await
    }

    async fn history(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.history_of(business_id, invoice_id).await
    }

    async fn create_api_key(
        &self,
        business_id: BusinessId,
        name: &str,
        prefix: &str,
        key_hash: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query(
            "INSERT INTO api_keys (business_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(business_id)
        .bind(name)
        .bind(prefix)
        .bind(key_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?
        .get(0);
        Ok(id)
    }

    async fn api_keys(&self, business_id: BusinessId) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, last_used_at FROM api_keys
             WHERE business_id = ? AND revoked_at IS NULL ORDER BY id DESC",
        )
        .bind(business_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| ApiKeyRecord {
                id: r.get("id"),
                name: r.get("name"),
                prefix: r.get("prefix"),
                created_at: r.get("created_at"),
                last_used_at: r.get("last_used_at"),
            })
            .collect())
    }

    async fn revoke_api_key(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = ? WHERE business_id = ? AND id = ? AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(business_id)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done)
    }

    async fn email_templates(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<(String, app::domain::email_template::EmailTemplate)>, StoreError> {
        self.templates_of(business_id).await
    }

    async fn save_email_template(
        &self,
        business_id: BusinessId,
        kind: &str,
        template: &app::domain::email_template::EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError> {
        self.put_template(business_id, kind, template, now).await
    }

    async fn queue_invoice_email(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        email: &app::ports::OutgoingEmail,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.queue_invoice(business_id, invoice_id, email, now).await
    }

    async fn outbox(
        &self,
        business_id: BusinessId,
        id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<app::ports::OutboxRecord>, StoreError> {
        self.outbox_of(business_id, id, limit).await
    }

    async fn claim_due_emails(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<app::ports::OutboxRecord>, StoreError> {
        self.claim_due(now, lease_until, limit).await
    }

    async fn email_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.mark_sent(id, now).await
    }

    async fn email_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), StoreError> {
        self.mark_failed(id, error, retry_at).await
    }

    async fn retry_email(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError> {
        self.requeue(business_id, id, now).await
    }

    async fn find_api_key(&self, key_hash: &str, now: i64) -> Result<Option<BusinessId>, StoreError> {
        // Noting the use at most once a minute keeps API reads from all becoming writes.
        let row = sqlx::query(
            "UPDATE api_keys SET last_used_at = CASE WHEN coalesce(last_used_at, 0) < ?1 - 60 THEN ?1 ELSE last_used_at END
             WHERE key_hash = ?2 AND revoked_at IS NULL RETURNING business_id",
        )
        .bind(now)
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn issue_invoice(
        &self,
        business_id: BusinessId,
        id: InvoiceId,
        r: &IssueRequest<'_>,
        now: i64,
    ) -> Result<Result<String, IssueRefusal>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The first statement writes, so the transaction holds SQLite's write lock from the
        // start and concurrent issuers queue (busy timeout) instead of failing to upgrade.
        let frozen = sqlx::query(
            "UPDATE invoices SET status = 'issued', content = ?, client_id = ?, client_name = ?, issue_date = ?,
                due_date = ?, total_ht = ?, total_tax = ?, total_ttc = ?, seller_snapshot = ?, client_snapshot = ?,
                pay_token_salt = ?, pay_token_hash = ?, issued_at = ?, updated_at = ?
             WHERE business_id = ? AND id = ? AND status = 'draft'
               AND NOT EXISTS (SELECT 1 FROM invoices later WHERE later.business_id = ? AND later.kind = 'invoice'
                               AND later.number IS NOT NULL AND later.issue_date > ?)",
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
        .bind(business_id)
        .bind(r.issue_date)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if frozen.rows_affected() == 0 {
            tx.rollback().await.map_err(backend)?;
            let still_draft = self.invoice(business_id, id).await?.status == InvoiceStatus::Draft;
            return Ok(Err(if still_draft { IssueRefusal::OutOfOrder } else { IssueRefusal::NotDraft }));
        }
        let sequence = next_number(&mut tx, business_id, "invoice", r.year).await?;
        let number = document_number(r.number_prefix, r.year as i32, sequence as u32);
        sqlx::query("UPDATE invoices SET number = ? WHERE id = ?")
            .bind(&number)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        add_event(&mut tx, business_id, id, &HistoryEvent::Issued { number: number.clone() }, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(Ok(number))
    }

    async fn record_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let amount = payment.amount.cents();
        // Writing first takes the write lock; the WHERE refuses overpayment atomically.
        let updated = sqlx::query(
            "UPDATE invoices SET amount_paid = amount_paid + ?1,
                status = CASE WHEN amount_paid + ?1 >= total_ttc - amount_credited THEN 'paid' ELSE 'partially_paid' END,
                updated_at = ?2
             WHERE business_id = ?3 AND id = ?4 AND kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid')
               AND amount_paid + ?1 <= total_ttc - amount_credited",
        )
        .bind(amount)
        .bind(now)
        .bind(business_id)
        .bind(invoice_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if updated.rows_affected() == 0 {
            tx.rollback().await.map_err(backend)?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO payments (business_id, invoice_id, amount_cents, method, received_on, created_at,
                revenue_ht_cents, operation)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(business_id)
        .bind(invoice_id)
        .bind(amount)
        .bind(&payment.method)
        .bind(&payment.received_on)
        .bind(now)
        .bind(payment.revenue_ht.cents())
        .bind(&payment.operation)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let event = HistoryEvent::Payment {
            amount_cents: amount,
            method: payment.method.clone(),
            date: payment.received_on.clone(),
        };
        add_event(&mut tx, business_id, invoice_id, &event, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn payments(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT amount_cents, method, received_on, fee_cents, provider_session_id, provider_payment_id,
                    revenue_ht_cents, operation
             FROM payments WHERE business_id = ? AND invoice_id = ? ORDER BY received_on, id",
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
            })
            .collect())
    }

    async fn set_default_payment_methods(
        &self,
        business_id: BusinessId,
        methods: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        self.set_default_methods(business_id, methods, now).await
    }

    async fn set_stripe_account(
        &self,
        business_id: BusinessId,
        account_id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.link_stripe_account(business_id, account_id, now).await
    }

    async fn update_online_status(
        &self,
        account_id: &str,
        status: app::domain::OnlineStatus,
        requirements: &[String],
        now: i64,
    ) -> Result<Option<BusinessId>, StoreError> {
        self.set_online_status(account_id, status, requirements, now).await
    }

    async fn business_by_account(&self, account_id: &str) -> Result<Option<BusinessId>, StoreError> {
        self.business_of_account(account_id).await
    }

    async fn invoice_by_pay_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(BusinessId, InvoiceId)>, StoreError> {
        self.invoice_of_pay_token(token_hash).await
    }

    async fn record_view(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        date: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.note_view(business_id, invoice_id, date, now).await
    }

    async fn save_checkout_attempt(&self, attempt: &CheckoutAttempt) -> Result<(), StoreError> {
        self.insert_attempt(attempt).await
    }

    async fn checkout_attempts(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<CheckoutAttempt>, StoreError> {
        self.attempts_of(business_id, invoice_id).await
    }

    async fn checkout_attempt(&self, session_id: &str) -> Result<Option<CheckoutAttempt>, StoreError> {
        self.attempt_by_session(session_id).await
    }

    async fn close_checkout_attempt(
        &self,
        session_id: &str,
        status: &str,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.close_attempt(session_id, status, failure, now).await
    }

    async fn stale_checkout_attempts(
        &self,
        now: i64,
        older_than: i64,
        limit: i64,
    ) -> Result<Vec<CheckoutAttempt>, StoreError> {
        self.take_stale_attempts(now, older_than, limit).await
    }

    async fn record_online_payment(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        payment: &PaymentRecord,
        emails: &[OutgoingEmail],
        now: i64,
    ) -> Result<OnlinePaymentOutcome, StoreError> {
        self.insert_online_payment(business_id, invoice_id, payment, emails, now).await
    }

    async fn store_stripe_event(&self, event: &StripeEvent, now: i64) -> Result<bool, StoreError> {
        self.insert_event(event, now).await
    }

    async fn claim_stripe_events(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<StripeEvent>, StoreError> {
        self.take_events(now, lease_until, limit).await
    }

    async fn stripe_event_applied(&self, id: &str, now: i64) -> Result<(), StoreError> {
        self.event_applied(id, now).await
    }

    async fn stripe_event_failed(&self, id: &str, error: &str, retry_at: i64) -> Result<(), StoreError> {
        self.event_failed(id, error, retry_at).await
    }

    async fn amounts_due(
        &self,
        business_id: BusinessId,
        today: &str,
    ) -> Result<app::ports::AmountsDue, StoreError> {
        self.due_now(business_id, today).await
    }

    async fn received_between(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Money, StoreError> {
        self.received_in(business_id, from, to).await
    }

    async fn revenue_by_month(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
    ) -> Result<Vec<app::ports::MonthRevenue>, StoreError> {
        self.months_of_revenue(business_id, from, to).await
    }

    async fn receipt_lines(
        &self,
        business_id: BusinessId,
        from: &str,
        to: &str,
        newest: Option<i64>,
    ) -> Result<Vec<app::ports::ReceiptLine>, StoreError> {
        self.receipts_between(business_id, from, to, newest).await
    }

    async fn invoice_counts(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<app::ports::StatusCount>, StoreError> {
        self.counts_by_status(business_id).await
    }

    async fn next_due(
        &self,
        business_id: BusinessId,
        limit: i64,
    ) -> Result<Vec<app::ports::DueInvoice>, StoreError> {
        self.due_soonest(business_id, limit).await
    }

    async fn record_refund(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
        refund: &app::ports::RefundRecord,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.insert_refund(business_id, invoice_id, refund, now).await
    }

    async fn refunds(
        &self,
        business_id: BusinessId,
        invoice_id: InvoiceId,
    ) -> Result<Vec<app::ports::RefundRecord>, StoreError> {
        self.refunds_of(business_id, invoice_id).await
    }

    async fn declaration_frequency(&self, business_id: BusinessId) -> Result<String, StoreError> {
        self.frequency_of(business_id).await
    }

    async fn set_declaration_frequency(&self, business_id: BusinessId, code: &str) -> Result<(), StoreError> {
        self.set_frequency(business_id, code).await
    }
}

/// An update or delete that must have hit its one row: none means not this business's, or gone.
pub(super) fn one_row(done: SqliteQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) fn invoice_record(r: &SqliteRow) -> Result<InvoiceRecord, StoreError> {
    let status: String = r.get("status");
    let kind: String = r.get("kind");
    let seller: Option<String> = r.get("seller_snapshot");
    let client: Option<String> = r.get("client_snapshot");
    let unknown = |what: &str| StoreError::Backend(format!("unknown {what} in the database").into());
    Ok(InvoiceRecord {
        id: r.get("id"),
        kind: DocumentKind::from_code(&kind).ok_or_else(|| unknown("document kind"))?,
        status: InvoiceStatus::from_code(&status).ok_or_else(|| unknown("status"))?,
        number: r.get("number"),
        content: from_json(&r.get::<String, _>("content"))?,
        client_name: r.get("client_name"),
        issue_date: r.get("issue_date"),
        due_date: r.get("due_date"),
        total_ht: Money::from_cents(r.get("total_ht")),
        total_tax: Money::from_cents(r.get("total_tax")),
        total_ttc: Money::from_cents(r.get("total_ttc")),
        amount_paid: Money::from_cents(r.get("amount_paid")),
        amount_credited: Money::from_cents(r.get("amount_credited")),
        credited_invoice_id: r.get("credited_invoice_id"),
        pay_token_salt: r.get("pay_token_salt"),
        seller: seller.as_deref().map(from_json).transpose()?,
        client: client.as_deref().map(from_json).transpose()?,
    })
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// A client's column values, the SIREN kept compact for searching.
fn client_columns(client: &Client) -> ClientInput {
    ClientInput {
        siren: client.siren.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        ..client.to_input()
    }
}

/// Binds kind, name, siren, vat_number, email, address_line1, address_line2, postal_code, city.
fn bind_client<'q>(query: SqliteQuery<'q>, c: &'q ClientInput) -> SqliteQuery<'q> {
    query
        .bind(&c.kind)
        .bind(&c.name)
        .bind(&c.siren)
        .bind(&c.vat_number)
        .bind(&c.email)
        .bind(&c.address_line1)
        .bind(&c.address_line2)
        .bind(&c.postal_code)
        .bind(&c.city)
}

fn client_record(r: &SqliteRow) -> ClientRecord {
    ClientRecord {
        id: r.get("id"),
        client: ClientInput {
            kind: r.get("kind"),
            name: r.get("name"),
            siren: r.get("siren"),
            vat_number: r.get("vat_number"),
            email: r.get("email"),
            address_line1: r.get("address_line1"),
            address_line2: r.get("address_line2"),
            postal_code: r.get("postal_code"),
            city: r.get("city"),
        },
        archived: r.get::<i64, _>("archived") != 0,
    }
}
