//! The store contract: one story of a year of Reglo, told to every [`Store`] backend the same
//! way, in the shape of atuin's `db_story` test. Each chapter asserts what a user would notice,
//! through the ports only; the last one races real tasks against each other.
//!
//! SQLite always hears it, in a fresh file. PostgreSQL hears it when `REGLO_TEST_DATABASE_URL`
//! names a server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`) on which the test may
//! create `reglo_contract_<random>`; the database is dropped afterwards, whether the story
//! passed or not.

mod accounts;
mod businesses;
mod checkout;
mod clients;
mod concurrency;
mod fixtures;
mod invoices;
mod ledger;
mod outbox;
mod treasury;
mod webhook_inbox;

use app::ports::Store;
use std::io::Write;
use std::sync::Arc;

/// Everything a backend must do the same way, chapter after chapter, on one database. Each
/// chapter makes its own businesses, at its own instants, so that none depends on another's
/// figures.
async fn story(store: Arc<dyn Store>) {
    store.ping().await.expect("the store answers");
    accounts::chapter(&*store).await;
    businesses::chapter(&*store).await;
    clients::chapter(&*store).await;
    invoices::chapter(&*store).await;
    ledger::chapter(&*store).await;
    outbox::chapter(&*store).await;
    webhook_inbox::chapter(&*store).await;
    checkout::chapter(&*store).await;
    treasury::chapter(&*store).await;
    concurrency::chapter(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn store_contract_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("contract.db").display());
    let store = server::store::connect(&url).await.expect("opening a fresh SQLite store");
    story(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn store_contract_on_postgres() {
    let server_url = match std::env::var("REGLO_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            // Straight to stderr, past the test harness's capture: a skipped backend must show.
            let _ = writeln!(
                std::io::stderr(),
                "store contract on PostgreSQL skipped: REGLO_TEST_DATABASE_URL is not set"
            );
            return;
        }
    };
    let database = ContractDatabase::create(&server_url).await;
    let store = server::store::connect(&database.url())
        .await
        .unwrap_or_else(|e| panic!("opening the PostgreSQL store on database {}: {e:#}", database.name));
    story(store).await;
    // `database` is dropped here, or while a failing chapter unwinds.
}

/// A database of the story's own on the PostgreSQL server, dropped with this guard.
struct ContractDatabase {
    server_url: String,
    name: String,
}

impl ContractDatabase {
    /// Creates `reglo_contract_<random hex>` on the server `server_url` names.
    async fn create(server_url: &str) -> Self {
        let name = format!("reglo_contract_{}", random_hex());
        admin(server_url, &format!("CREATE DATABASE {name}")).await.unwrap_or_else(|e| panic!("{e}"));
        Self { server_url: server_url.to_owned(), name }
    }

    fn url(&self) -> String {
        with_database(&self.server_url, &self.name)
    }
}

impl Drop for ContractDatabase {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread and a
        // runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(admin(&server_url, &sql))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            let _ =
                writeln!(std::io::stderr(), "contract database {} was not dropped: {dropped:?}", self.name);
        }
    }
}

/// Runs one statement on the server's maintenance database.
async fn admin(server_url: &str, sql: &str) -> Result<(), String> {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(server_url)
        .await
        .map_err(|e| format!("connecting to REGLO_TEST_DATABASE_URL: {e}"))?;
    sqlx::query(sql).execute(&mut connection).await.map_err(|e| format!("{sql}: {e}"))?;
    let _ = connection.close().await;
    Ok(())
}
/// `server_url` naming `database` instead of the one it names (query string kept).
fn with_database(server_url: &str, database: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

/// 16 hex digits, different for every run (no random crate needed).
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}
