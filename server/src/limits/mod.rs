//! Limiter adapters behind the app's `Limiter` port: in memory for one instance (SQLite), in
//! the database when several instances share a PostgreSQL database.

pub mod memory;
pub mod postgres;

use app::ports::Limiter;
use std::sync::Arc;

/// The limiter that fits the database.
pub async fn for_database(url: &str) -> anyhow::Result<Arc<dyn Limiter>> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgLimiter::connect(url).await?))
    } else {
        Ok(Arc::new(memory::MemoryLimiter::default()))
    }
}
