//! One module per page. Pages render on the server; what changes on them once shown is an
//! island, the only code the browser runs. Each island belongs to one bundle (`crate::bundles`),
//! the WASM its kind of page loads: it is an island where that bundle is built, and a plain
//! component, left out, in the others:
//!
//! ```ignore
//! #[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
//! #[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
//! ```
//!
//! There is no router in the browser: a route that reads its address (an id, filters) passes
//! what it read to its island, and islands move to another page as a link does
//! (`components::navigation`).

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
