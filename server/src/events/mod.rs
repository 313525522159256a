//! Event bus adapters behind the app's `EventBus` port: an in-process broadcast for one
//! instance, PostgreSQL `LISTEN/NOTIFY` when several instances share a database.

pub mod local;
pub mod postgres;

use app::ports::EventBus;
use std::sync::Arc;

/// The bus that fits the database: instances that share a PostgreSQL database hear each other.
pub async fn for_database(url: &str) -> anyhow::Result<Arc<dyn EventBus>> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgNotifyBus::start(url).await?))
    } else {
        Ok(Arc::new(local::LocalBus::default()))
    }
}
