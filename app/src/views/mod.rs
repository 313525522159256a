//! The read models the pages show, serialisable for server functions: built by the services
//! (or from their results) on the server, read by the pages in the browser.

pub mod api_keys;
pub mod auth;
pub mod business;
pub mod clients;
pub mod dashboard;
pub mod email;
pub mod invoices;
pub mod online_payment;
pub mod quotes;
pub mod receipts;
pub mod reminders;
