//! Reglo's app: the domain rules, the Leptos pages and components, the server-function
//! declarations and, behind the `ssr` feature, the ports and services they call.
// Leptos views are deeply nested types.
#![recursion_limit = "256"]

pub mod components;
pub mod domain;
pub mod error;
pub mod functions;
pub mod pages;
pub mod views;

#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;

use components::shell::AppShell;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy};
use pages::not_found::NotFound;
use pages::*;

/// Set on `<body>` by the browser entry point once the page has hydrated; the styles and the
/// end-to-end tests read it too.
pub const HYDRATED: &str = "data-hydrated";

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // `/pkg/reglo.css`, or its content-hashed name when the site was built with them.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="description" content="Reglo : factures et paiement en ligne pour les micro-entrepreneurs."/>
        <Title formatter=|title: String| if title.is_empty() { "Reglo".to_string() } else { format!("{title} · Reglo") }/>
        <Router>
            // Filled while a page's chunk downloads after a click (`pages::PAGE_LOADING`).
            <div id=pages::PAGE_LOADING class="sr-only" aria-live="polite"></div>
            <Routes fallback=NotFound>
                <Route path=path!("/connexion") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/inscription") view={Lazy::<SignupRoute>::new()}/>
                <Route path=path!("/mot-de-passe-oublie") view={Lazy::<ForgotPasswordRoute>::new()}/>
                <Route path=path!("/mot-de-passe/:token") view={Lazy::<ResetPasswordRoute>::new()}/>
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("") view=dashboard::DashboardPage/>
                    <Route path=path!("factures") view={Lazy::<InvoicesRoute>::new()}/>
                    <Route path=path!("factures/nouvelle") view={Lazy::<InvoiceRoute>::new()}/>
                    <Route path=path!("factures/:id") view={Lazy::<InvoiceRoute>::new()}/>
                    <Route path=path!("devis") view={Lazy::<QuotesRoute>::new()}/>
                    <Route path=path!("devis/nouveau") view={Lazy::<QuoteRoute>::new()}/>
                    <Route path=path!("devis/:id") view={Lazy::<QuoteRoute>::new()}/>
                    <Route path=path!("clients") view={Lazy::<ClientsRoute>::new()}/>
                    <Route path=path!("recettes") view={Lazy::<ReceiptsRoute>::new()}/>
                    <Route path=path!("parametres") view=|| view! { <Redirect path="/parametres/entreprise"/> }/>
                    <Route path=path!("parametres/entreprise") view={Lazy::<BusinessSettingsRoute>::new()}/>
                    <Route path=path!("parametres/api") view={Lazy::<ApiSettingsRoute>::new()}/>
                    <Route path=path!("parametres/e-mails") view={Lazy::<EmailSettingsRoute>::new()}/>
                    <Route path=path!("parametres/paiements") view={Lazy::<PaymentSettingsRoute>::new()}/>
                    <Route path=path!("parametres/relances") view={Lazy::<ReminderSettingsRoute>::new()}/>
                    <Route path=path!("parametres/securite") view={Lazy::<SecuritySettingsRoute>::new()}/>
                    <Route path=path!("aide/tarifs-paiement-en-ligne") view={Lazy::<OnlinePricingRoute>::new()}/>
                    <Route path=path!("boite-d-envoi") view={Lazy::<OutboxRoute>::new()}/>
                    <Route path=path!("boite-d-envoi/:id") view={Lazy::<OutboxMessageRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The app pages' Content-Security-Policy: scripts only from this origin and the inline ones
/// Leptos marks with this response's nonce (its hydration script), WebAssembly allowed to
/// compile; nothing loaded or submitted elsewhere but where online payment goes (Stripe, or the
/// sandbox's pages). Styles may be inline (the brand colour is a `style` attribute).
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(response), Some(state)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<state::AppState>(),
    ) else {
        return;
    };
    let payments = state.payments.checkout_origin();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; \
         form-action 'self' {payments} https://connect.stripe.com"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
