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
mod card_refunds;
mod checkout;
mod clients;
mod concurrency;
mod fixtures;
mod invoices;
mod ledger;
mod outbox;
mod quotes;
mod reminders;
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
    quotes::chapter(&*store).await;
    concurrency::chapter(&store).await;
    reminders::chapter(&*store).await;
    card_refunds::chapter(&*store).await;
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
    let database = crate::common::TestDatabase::create(&server_url).await;
    let store = server::store::connect(&database.url)
        .await
        .unwrap_or_else(|e| panic!("opening the PostgreSQL store on {}: {e:#}", database.url));
    story(store).await;
    // `database` is dropped here, or while a failing chapter unwinds.
}
