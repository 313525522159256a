//! Store adapters, chosen from the database URL's scheme.

pub mod sqlite;
mod sqlite_email;
mod sqlite_invoices;
mod sqlite_payments;
mod sqlite_treasury;

use anyhow::{bail, Context};
use app::ports::Store;
use std::sync::Arc;

/// Connects to the database named by `url` and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        let store = sqlite::SqliteStore::connect(url).await.with_context(|| format!("opening {url}"))?;
        store.migrate().await.context("running SQLite migrations")?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        bail!("PostgreSQL is not supported yet by this version of Reglo; use a sqlite:// URL")
    } else {
        bail!("unsupported database URL scheme in REGLO_DATABASE_URL (expected sqlite://…)")
    }
}
