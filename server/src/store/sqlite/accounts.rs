//! Users, sessions and API keys in SQLite.

use super::{backend, one_row, SqliteStore};
use app::domain::{BusinessProfileInput, Email};
use app::ports::{
    AccountEmail, AccountStore, ApiKeyRecord, BusinessId, Credentials, PasswordHash, SessionUser, StoreError,
};
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl AccountStore for SqliteStore {
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
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, business_id, created_at, expires_at, last_seen_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user.user_id)
        .bind(user.business_id)
        .bind(now)
        .bind(expires_at)
        .bind(now)
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

    async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_since: i64,
    ) -> Result<Option<SessionUser>, StoreError> {
        let row = sqlx::query(
            "SELECT s.user_id, s.business_id, u.email, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .bind(idle_since)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        if row.as_ref().is_some_and(|r| r.get::<i64, _>("last_seen_at") < now - 60) {
            sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        }
        Ok(row.map(|r| SessionUser {
            user_id: r.get("user_id"),
            business_id: r.get("business_id"),
            email: r.get("email"),
        }))
    }

    async fn confirm_email(
        &self,
        business_id: BusinessId,
        email: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE users SET email_confirmed_at = ? WHERE business_id = ? AND email = ? AND email_confirmed_at IS NULL")
            .bind(now)
            .bind(business_id)
            .bind(email)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn change_login_email(&self, user_id: i64, email: &Email) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET email = ?, email_confirmed_at = NULL WHERE id = ?")
            .bind(email.as_str())
            .bind(user_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn account_email(&self, business_id: BusinessId) -> Result<Option<AccountEmail>, StoreError> {
        let row = sqlx::query("SELECT email, email_confirmed_at IS NOT NULL AS confirmed FROM users WHERE business_id = ? ORDER BY id LIMIT 1")
            .bind(business_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.map(|r| AccountEmail { email: r.get("email"), confirmed: r.get("confirmed") }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_sessions(&self, user_id: i64, keep: Option<&str>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
            .bind(user_id)
            .bind(keep)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn change_password(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        keep_session: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(&hash.0)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(user_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
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

    async fn find_api_key(&self, key_hash: &str, now: i64) -> Result<Option<BusinessId>, StoreError> {
        // A read: an UPDATE, even one that changes nothing, would take SQLite's one write lock
        // on every API call. The use is noted at most once a minute.
        let Some(row) = sqlx::query(
            "SELECT id, business_id, last_used_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        if row.get::<Option<i64>, _>("last_used_at").unwrap_or(0) < now - 60 {
            sqlx::query(
                "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND coalesce(last_used_at, 0) < ?",
            )
            .bind(now)
            .bind(row.get::<i64, _>("id"))
            .bind(now - 60)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        }
        Ok(Some(row.get("business_id")))
    }
}
