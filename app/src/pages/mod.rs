//! One module per page.

pub mod api_settings;
pub mod auth;
pub mod clients;
pub mod dashboard;
pub mod email_settings;
pub mod invoice;
pub mod invoices;
pub mod not_found;
pub mod outbox;
pub mod payment_settings;
pub mod quote;
pub mod quotes;
pub mod receipts;
pub mod reminder_settings;
pub mod security_settings;
pub mod settings;
