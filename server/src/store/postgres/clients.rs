//! The client book in PostgreSQL.

use super::{backend, one_row, PgStore};
use app::domain::search::{fold_sql, like_contains};
use app::domain::{Client, ClientInput};
use app::ports::{BusinessId, ClientId, ClientRecord, ClientStore, StoreError};
use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Postgres, Row};
use std::sync::LazyLock;

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// The columns [`client_record`] reads.
const CLIENT_COLUMNS: &str =
    "id, kind, name, siren, vat_number, email, address_line1, address_line2, postal_code, city, archived";

/// A client's column values, the SIREN kept compact for searching.
fn client_columns(client: &Client) -> ClientInput {
    ClientInput {
        siren: client.siren.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        ..client.to_input()
    }
}

/// Binds kind, name, siren, vat_number, email, address_line1, address_line2, postal_code, city.
fn bind_client<'q>(query: PgQuery<'q>, c: &'q ClientInput) -> PgQuery<'q> {
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

fn client_record(r: &PgRow) -> ClientRecord {
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
        archived: r.get("archived"),
    }
}

/// The client's name as searches compare it (see `app::domain::search`).
static FOLDED_NAME: LazyLock<String> = LazyLock::new(|| fold_sql("name"));

#[async_trait]
impl ClientStore for PgStore {
    async fn list_clients(
        &self,
        business_id: BusinessId,
        search: &str,
        archived: bool,
    ) -> Result<Vec<ClientRecord>, StoreError> {
        // lower(name) stands in for SQLite's NOCASE collation.
        let rows = sqlx::query(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE business_id = $1 AND archived = $2
               AND ({} LIKE $3 ESCAPE '\\' OR lower(email) LIKE $3 ESCAPE '\\' OR siren LIKE $3 ESCAPE '\\')
             ORDER BY lower(name), id",
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
        let row =
            sqlx::query(&format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE business_id = $1 AND id = $2"))
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
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
            "UPDATE clients SET kind = $1, name = $2, siren = $3, vat_number = $4, email = $5, address_line1 = $6,
                address_line2 = $7, postal_code = $8, city = $9, updated_at = $10
             WHERE business_id = $11 AND id = $12",
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
        let done = sqlx::query(
            "UPDATE clients SET archived = $1, updated_at = $2 WHERE business_id = $3 AND id = $4",
        )
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
