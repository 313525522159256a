//! The business's own data in PostgreSQL: profile, logo, defaults, e-mail texts, Stripe
//! account and declaration frequency.

use super::{backend, from_json, one_row, to_json, PgStore};
use app::domain::business_profile::format_rate_bp;
use app::domain::email_template::{EmailTemplate, TemplateKind};
use app::domain::{BusinessProfile, BusinessProfileInput, DeclarationFrequency, OnlineStatus};
use app::ports::{BusinessId, BusinessRecord, BusinessStore, OnlineAccount, StoreError};
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// The columns [`business_record`] reads, JSONB ones as text.
const BUSINESS_COLUMNS: &str = "id, name, address_line1, address_line2, postal_code, city, email, phone, siret,
    activity, vat_status, vat_number, iban, bic, payment_terms_days, late_penalty_bp, invoice_prefix, brand_color,
    vat_on_debits, logo_file, profile_complete, default_payment_methods::text AS default_payment_methods, stripe_account_id,
    online_status, online_requirements::text AS online_requirements, created_at";

fn business_record(r: &PgRow) -> Result<BusinessRecord, StoreError> {
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
            late_penalty_rate: format_rate_bp(u32::try_from(penalty).unwrap_or(0)),
            invoice_prefix: r.get("invoice_prefix"),
            brand_color: r.get("brand_color"),
            vat_on_debits: if r.get::<bool, _>("vat_on_debits") { "true" } else { "" }.into(),
        },
        profile_complete: r.get("profile_complete"),
        logo_file: r.get("logo_file"),
        default_payment_methods: from_json(&r.get::<String, _>("default_payment_methods"))?,
        online: OnlineAccount {
            account_id: r.get("stripe_account_id"),
            status: OnlineStatus::from_code(&r.get::<String, _>("online_status")),
            requirements: from_json(&r.get::<String, _>("online_requirements"))?,
        },
        created_at: r.get("created_at"),
    })
}

#[async_trait]
impl BusinessStore for PgStore {
    async fn business(&self, business_id: BusinessId) -> Result<BusinessRecord, StoreError> {
        let row = sqlx::query(&format!("SELECT {BUSINESS_COLUMNS} FROM businesses WHERE id = $1"))
            .bind(business_id)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        business_record(&row)
    }

    async fn save_profile(
        &self,
        business_id: BusinessId,
        profile: &BusinessProfile,
        now: i64,
    ) -> Result<(), StoreError> {
        let p = profile.to_input();
        let done = sqlx::query(
            "UPDATE businesses SET name = $1, address_line1 = $2, address_line2 = $3, postal_code = $4, city = $5,
                email = $6, phone = $7, siret = $8, activity = $9, vat_status = $10, vat_number = $11, iban = $12,
                bic = $13, payment_terms_days = $14, late_penalty_bp = $15, invoice_prefix = $16, brand_color = $17,
                vat_on_debits = $18, profile_complete = TRUE, updated_at = $19
             WHERE id = $20",
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
        .bind(profile.vat_on_debits)
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
        // Locked so that of two logos set at once, the second sees the first as the previous
        // one (and lets it be removed) instead of both returning the same earlier file.
        let previous: Option<String> =
            sqlx::query("SELECT logo_file FROM businesses WHERE id = $1 FOR NO KEY UPDATE")
                .bind(business_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?
                .get(0);
        sqlx::query("UPDATE businesses SET logo_file = $1, updated_at = $2 WHERE id = $3")
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
        let n: i64 = sqlx::query("SELECT (SELECT COUNT(*) FROM businesses WHERE logo_file = $1) + (SELECT COUNT(*) FROM invoices WHERE logo_file = $1)")
            .bind(logo_file)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?
            .get(0);
        Ok(n > 0)
    }

    async fn set_default_payment_methods(
        &self,
        business_id: BusinessId,
        methods: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE businesses SET default_payment_methods = $1::jsonb, updated_at = $2 WHERE id = $3",
        )
        .bind(to_json(methods)?)
        .bind(now)
        .bind(business_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn email_templates(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<(TemplateKind, EmailTemplate)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, subject, body FROM email_templates WHERE business_id = $1 ORDER BY kind",
        )
        .bind(business_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        // A kind this version does not know (written by a newer one) is left out.
        Ok(rows
            .iter()
            .filter_map(|r| {
                let kind = TemplateKind::from_code(&r.get::<String, _>("kind"))?;
                Some((kind, EmailTemplate { subject: r.get("subject"), body: r.get("body") }))
            })
            .collect())
    }

    async fn save_email_template(
        &self,
        business_id: BusinessId,
        kind: TemplateKind,
        template: &EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO email_templates (business_id, kind, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (business_id, kind) DO UPDATE SET subject = excluded.subject, body = excluded.body,
                updated_at = excluded.updated_at",
        )
        .bind(business_id)
        .bind(kind.code())
        .bind(&template.subject)
        .bind(&template.body)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn declaration_frequency(
        &self,
        business_id: BusinessId,
    ) -> Result<DeclarationFrequency, StoreError> {
        let code: String =
            sqlx::query_scalar::<_, String>("SELECT declaration_frequency FROM businesses WHERE id = $1")
                .bind(business_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?
                .ok_or(StoreError::NotFound)?;
        Ok(DeclarationFrequency::from_code(&code).unwrap_or(DeclarationFrequency::Quarterly))
    }

    async fn set_declaration_frequency(
        &self,
        business_id: BusinessId,
        frequency: DeclarationFrequency,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE businesses SET declaration_frequency = $1 WHERE id = $2")
            .bind(frequency.code())
            .bind(business_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        one_row(done)
    }

    async fn set_stripe_account(
        &self,
        business_id: BusinessId,
        account_id: &str,
        now: i64,
    ) -> Result<String, StoreError> {
        // The row lock makes a concurrent link wait, then keep this one.
        sqlx::query_scalar(
            "UPDATE businesses SET stripe_account_id = coalesce(stripe_account_id, $1), updated_at = $2
             WHERE id = $3 RETURNING stripe_account_id",
        )
        .bind(account_id)
        .bind(now)
        .bind(business_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)
    }

    async fn update_online_status(
        &self,
        account_id: &str,
        status: OnlineStatus,
        requirements: &[String],
        now: i64,
    ) -> Result<Option<BusinessId>, StoreError> {
        let row = sqlx::query(
            "UPDATE businesses SET online_status = $1, online_requirements = $2::jsonb, updated_at = $3
             WHERE stripe_account_id = $4 RETURNING id",
        )
        .bind(status.code())
        .bind(to_json(requirements)?)
        .bind(now)
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn business_by_account(&self, account_id: &str) -> Result<Option<BusinessId>, StoreError> {
        let row = sqlx::query("SELECT id FROM businesses WHERE stripe_account_id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }
}
