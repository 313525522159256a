//! Limiter adapters behind the app's `Limiter` port: in memory for one instance (SQLite), in
//! the database when several instances share a PostgreSQL database.

pub mod memory;
pub mod postgres;
