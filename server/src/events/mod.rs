//! Event bus adapters behind the app's `EventBus` port: an in-process broadcast for one
//! instance, PostgreSQL `LISTEN/NOTIFY` when several instances share a database.

pub mod local;
pub mod postgres;
