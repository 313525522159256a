//! HTTP routes outside the Leptos app.

pub mod health;
pub mod logo;
pub mod pdf;
