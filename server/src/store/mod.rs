//! Store adapters, chosen from the database URL's scheme: SQLite for one instance, PostgreSQL
//! for several sharing one database.

pub mod postgres;
pub mod sqlite;

use anyhow::{bail, Context};
use app::ports::Store;
use std::sync::Arc;

/// Connects to the database named by `url` and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        let store = sqlite::SqliteStore::connect(url).await.with_context(|| format!("opening {url}"))?;
        store.migrate().await.context("running SQLite migrations")?;
        Ok(Arc::new(store))
    } else if is_postgres(url) {
        Ok(Arc::new(connect_postgres(url).await?))
    } else {
        bail!("unsupported database URL scheme in REGLO_DATABASE_URL (expected sqlite://… or postgres://…)")
    }
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// The PostgreSQL store, its schema up to date; its pool serves the instance's other
/// PostgreSQL adapters too (live events, limits).
pub async fn connect_postgres(url: &str) -> anyhow::Result<postgres::PgStore> {
    let store =
        postgres::PgStore::connect(url).await.with_context(|| format!("connecting to {}", redacted(url)))?;
    store.migrate().await.context("running PostgreSQL migrations")?;
    Ok(store)
}

/// The URL without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_show_in_database_urls() {
        assert_eq!(
            super::redacted("postgres://reglo:s3cret@db:5432/reglo"),
            "postgres://reglo:…@db:5432/reglo"
        );
        assert_eq!(super::redacted("postgres://reglo@db/reglo"), "postgres://reglo@db/reglo");
        assert_eq!(super::redacted("sqlite://data/reglo.db"), "sqlite://data/reglo.db");
    }
}
