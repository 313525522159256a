//! The business's profile, defaults, e-mail texts and Stripe account in SQLite.

use super::{backend, from_json, one_row, to_json, SqliteStore};
use app::domain::email_template::{EmailTemplate, TemplateKind};
use app::domain::{BusinessProfile, BusinessProfileInput, DeclarationFrequency, OnlineStatus};
use app::ports::{BusinessId, BusinessRecord, BusinessStore, OnlineAccount, StoreError};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn online_account(r: &SqliteRow) -> Result<OnlineAccount, StoreError> {
    Ok(OnlineAccount {
        account_id: r.get("stripe_account_id"),
        status: OnlineStatus::from_code(&r.get::<String, _>("online_status")),
        requirements: from_json(&r.get::<String, _>("online_requirements"))?,
    })
}

#[async_trait]
impl BusinessStore for SqliteStore {
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
                vat_on_debits: if r.get::<i64, _>("vat_on_debits") != 0 { "true" } else { "" }.into(),
            },
            profile_complete: r.get::<i64, _>("profile_complete") != 0,
            logo_file: r.get("logo_file"),
            default_payment_methods: from_json(&r.get::<String, _>("default_payment_methods"))?,
            online: online_account(&r)?,
            created_at: r.get("created_at"),
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
                vat_on_debits = ?, profile_complete = 1, updated_at = ?
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
        let n: i64 = sqlx::query("SELECT (SELECT COUNT(*) FROM businesses WHERE logo_file = ?1) + (SELECT COUNT(*) FROM invoices WHERE logo_file = ?1)")
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
        sqlx::query("UPDATE businesses SET default_payment_methods = ?, updated_at = ? WHERE id = ?")
            .bind(to_json(&methods)?)
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
        let rows = sqlx::query("SELECT kind, subject, body FROM email_templates WHERE business_id = ?")
            .bind(business_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        // A kind this version no longer knows is left out: its default takes over.
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
        t: &EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO email_templates (business_id, kind, subject, body, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (business_id, kind) DO UPDATE SET subject = excluded.subject, body = excluded.body,
                updated_at = excluded.updated_at",
        )
        .bind(business_id)
        .bind(kind.code())
        .bind(&t.subject)
        .bind(&t.body)
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
        let code: String = sqlx::query_scalar("SELECT declaration_frequency FROM businesses WHERE id = ?")
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
        let done = sqlx::query("UPDATE businesses SET declaration_frequency = ? WHERE id = ?")
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
        sqlx::query_scalar(
            "UPDATE businesses SET stripe_account_id = coalesce(stripe_account_id, ?1), updated_at = ?2
             WHERE id = ?3 RETURNING stripe_account_id",
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

    async fn business_by_account(&self, account_id: &str) -> Result<Option<BusinessId>, StoreError> {
        let row = sqlx::query("SELECT id FROM businesses WHERE stripe_account_id = ?")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }
}
