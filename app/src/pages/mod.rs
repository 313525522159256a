//! One module per page, and the routes of the pages the dashboard does not need. Those come in
//! two groups, each compiled into its own WASM chunk (`cargo leptos build --split`) that the
//! browser fetches when a page of the group is first shown. The dashboard, where every session
//! starts, is in the main module: a cold load of it fetches one WASM file, without the editor's
//! or the settings' code.

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

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares, for each group of pages, one lazily loaded function rendering any of them, and a
/// route type per page calling it. One split point per group, not per page: with one per page,
/// the splitter cut the code the pages share into 280 small files, a page needed up to 246 of
/// them, and on a phone the requests cost more time than the smaller download saved.
macro_rules! lazy_pages {
    ($($group:ident { $($route:ident => $page:path,)* })*) => {$(
        mod $group {
            use super::*;

            #[derive(Clone, Copy)]
            #[allow(clippy::enum_variant_names)] // named after their routes
            pub enum Page { $($route,)* }

            #[lazy($group)]
            pub fn view(page: Page) -> AnyView {
                match page { $(Page::$route => view! { <$page/> }.into_any(),)* }
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $group::view($group::Page::$route).await
                }

                // The router awaits this before it hydrates or shows the page: the group's
                // chunks are there by then.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $group::__preload_view().await;
                }
            }
        )*
    )*};
}

lazy_pages! {
    document_pages {
        InvoiceRoute => invoice::InvoicePage,
        QuoteRoute => quote::QuotePage,
    }
    other_pages {
        LoginRoute => auth::LoginPage,
        SignupRoute => auth::SignupPage,
        ForgotPasswordRoute => auth::ForgotPasswordPage,
        ResetPasswordRoute => auth::ResetPasswordPage,
        InvoicesRoute => invoices::InvoicesPage,
        QuotesRoute => quotes::QuotesPage,
        ClientsRoute => clients::ClientsPage,
        ReceiptsRoute => receipts::ReceiptsPage,
        OutboxRoute => outbox::OutboxPage,
        OutboxMessageRoute => outbox::OutboxMessagePage,
        BusinessSettingsRoute => settings::BusinessSettingsPage,
        ApiSettingsRoute => api_settings::ApiSettingsPage,
        EmailSettingsRoute => email_settings::EmailSettingsPage,
        PaymentSettingsRoute => payment_settings::PaymentSettingsPage,
        ReminderSettingsRoute => reminder_settings::ReminderSettingsPage,
        SecuritySettingsRoute => security_settings::SecuritySettingsPage,
        OnlinePricingRoute => payment_settings::OnlinePricingPage,
    }
}
