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

            /// Renders a page of the group. In the browser it first loads the group's chunk,
            /// and says so when that fails (a dropped connection) instead of aborting the app.
            #[cfg_attr(feature = "hydrate", leptos::wasm_split::wasm_split(
                $group, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload)
            ))]
            pub fn view(page: Page) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                // Rendered on the server: the page's HTML links the chunk for preloading.
                #[cfg(feature = "ssr")]
                leptos::prefetch_lazy_fn_on_server(stringify!($group));
                Ok(match page { $(Page::$route => view! { <$page/> }.into_any(),)* })
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    let page = $group::view($group::Page::$route);
                    #[cfg(feature = "hydrate")]
                    let page = page.await;
                    page.unwrap_or_else(|_| view! { <PageNotLoaded/> }.into_any())
                }

                // The router awaits this before it hydrates or shows the page: the group's
                // chunks are there by then. A failure shows in `view`, which tries again.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    while_loading($group::preload()).await;
                }
            }
        )*
    )*};
}

/// The element (in `App`) that says a page is loading.
pub const PAGE_LOADING: &str = "page-loading";

/// After a click, the previous page stays on screen while the next one's chunk downloads, up to
/// ~250 KB the first time: meanwhile a bar runs across the top (`body[data-page-loading]` in the
/// styles) and screen readers hear that the page is loading. Not while the first page
/// hydrates: nothing was clicked, and the hydrated markup must stay as the server sent it.
#[cfg(feature = "hydrate")]
async fn while_loading<T>(load: impl std::future::Future<Output = T>) {
    let document = document();
    let body = document.body().filter(|body| body.has_attribute(crate::HYDRATED));
    let status = body.as_ref().and_then(|_| document.get_element_by_id(PAGE_LOADING));
    let show = |loading: bool| {
        if let (Some(body), Some(status)) = (&body, &status) {
            let _ = if loading {
                body.set_attribute("data-page-loading", "")
            } else {
                body.remove_attribute("data-page-loading")
            };
            status.set_text_content(loading.then_some("Chargement de la page…"));
        }
    };
    show(true);
    load.await;
    show(false);
}

/// In place of a page whose chunk could not be downloaded. Reloading fetches the page anew
/// from the server (the address bar already shows it).
#[component]
fn PageNotLoaded() -> impl IntoView {
    let reload = move |_| {
        let _ = window().location().reload();
    };
    view! {
        <div class="card" role="alert" data-testid="page-not-loaded">
            <h1>"Page non chargée"</h1>
            <p>"Cette page n'a pas pu être téléchargée : la connexion semble interrompue."</p>
            <button type="button" class="btn btn-primary" on:click=reload>"Réessayer"</button>
        </div>
    }
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
