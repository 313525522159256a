//! The integration tests, as one binary (each test binary links the whole server): the real
//! server on port 0 with a fresh database (SQLite, or PostgreSQL when
//! `REGLO_TEST_DATABASE_URL` is set), and the store contract run on both backends.

mod common;

mod accounts;
mod api;
mod business;
mod card_refunds;
mod cli;
mod clients;
mod compression;
mod email;
mod facturx;
mod instances;
mod invoices;
mod payments;
mod pdf;
mod quotes;
mod reminders;
mod store_contract;
mod stripe_fixtures;
mod treasury;
