//! The client book, in SQLite.

use super::{backend, one_row, SqliteStore};
use app::domain::search::{fold_sql, like_contains};
use app::domain::{Client, ClientInput};
use app::ports::{BusinessId, ClientId, ClientRecord, ClientStore, StoreError};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use std::sync::LazyLock;

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

/// The client's name as searches compare it (see `app::domain::search`).
static FOLDED_NAME: LazyLock<String> = LazyLock::new(|| fold_sql("name"));

#[async_trait]
impl ClientStore for SqliteStore {
    async fn list_clients(
        &self,
        business_id: BusinessId,
        search: &str,
        archived: bool,
    ) -> Result<Vec<ClientRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM clients WHERE business_id = ?1 AND archived = ?2
               AND ({} LIKE ?3 ESCAPE '\\' OR lower(email) LIKE ?3 ESCAPE '\\' OR siren LIKE ?3 ESCAPE '\\')
             ORDER BY name COLLATE NOCASE, id",
            *FOLDED_NAME
        ))
        .bind(business_id)
        .bind(archived)
        .bind(like_contains(search))
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
}
