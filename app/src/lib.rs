//! Reglo's app: the domain rules, the Leptos pages and components, the server-function
//! declarations and, behind the `ssr` feature, the ports and services they call.
// Leptos views are deeply nested types.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
mod bundles;
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
use leptos_router::{path, SsrMode};
use pages::not_found::NotFound;
use pages::*;

/// Set on `<body>` once every island of the page has hydrated (`components::island`); the
/// styles and the end-to-end tests read it.
pub const HYDRATED: &str = "data-hydrated";

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    #[cfg(feature = "ssr")]
    let scripts = bundles::for_this_page(options.clone());
    #[cfg(not(feature = "ssr"))]
    let scripts = options.clone();
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // `/pkg/reglo.css`, or its content-hashed name when the site was built with them.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options=scripts islands=true/>
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
            <Routes fallback=NotFound>
                <Route path=path!("/connexion") view=auth::LoginPage/>
                <Route path=path!("/inscription") view=auth::SignupPage/>
                <Route path=path!("/mot-de-passe-oublie") view=auth::ForgotPasswordPage/>
                <Route path=path!("/mot-de-passe/:token") view=auth::ResetPasswordPage/>
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("") view=dashboard::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("factures") view=invoices::InvoicesRoute/>
                    <Route path=path!("factures/nouvelle") view=invoice::InvoiceRoute/>
                    <Route path=path!("factures/:id") view=invoice::InvoiceRoute/>
                    <Route path=path!("devis") view=quotes::QuotesRoute/>
                    <Route path=path!("devis/nouveau") view=quote::QuoteRoute/>
                    <Route path=path!("devis/:id") view=quote::QuoteRoute/>
                    <Route path=path!("clients") view=clients::ClientsPage/>
                    <Route path=path!("recettes") view=receipts::ReceiptsRoute/>
                    <Route path=path!("parametres") view=|| view! { <Redirect path="/parametres/entreprise"/> }/>
                    <Route path=path!("parametres/entreprise") view=settings::BusinessSettingsRoute/>
                    <Route path=path!("parametres/api") view=api_settings::ApiSettingsPage/>
                    <Route path=path!("parametres/e-mails") view=email_settings::EmailSettingsPage/>
                    <Route path=path!("parametres/paiements") view=payment_settings::PaymentSettingsRoute/>
                    <Route path=path!("parametres/relances") view=reminder_settings::ReminderSettingsPage/>
                    <Route path=path!("parametres/securite") view=security_settings::SecuritySettingsPage/>
                    <Route path=path!("aide/tarifs-paiement-en-ligne") view=payment_settings::OnlinePricingPage/>
                    <Route path=path!("boite-d-envoi") view=outbox::OutboxPage/>
                    <Route path=path!("boite-d-envoi/:id") view=outbox::OutboxMessagePage/>
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
