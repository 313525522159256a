//! « Tableau de bord ». For now: the first steps of a new account; revenue figures come next.

use crate::components::form::ErrorBanner;
use crate::components::shell::ShellData;
use crate::domain::Money;
use crate::domain::{InvoiceStatus, OnlineStatus};
use crate::functions::clients::list_clients;
use crate::functions::dashboard::dashboard_cash;
use crate::functions::invoices::list_invoices;
use crate::functions::online_payment::payment_settings;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let ShellData(info) = expect_context::<ShellData>();
    let clients = Resource::new(|| (), |_| list_clients(String::new(), false));
    let sent = Resource::new(|| (), |_| list_invoices(String::new(), None, String::new(), String::new(), 0));
    let online = Resource::new(|| (), |_| payment_settings());
    view! {
        <Title text="Tableau de bord"/>
        <div class="page-header">
            <h1>"Tableau de bord"</h1>
        </div>
        <section class="card">
            <h2>"Premiers pas"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let complete = info.await.map(|i| i.profile_complete).unwrap_or(false);
                    let has_clients = clients.await.map(|c| !c.is_empty()).unwrap_or(false);
                    let has_sent = sent
                        .await
                        .map(|l| l.items.iter().any(|i| i.status != InvoiceStatus::Draft))
                        .unwrap_or(false);
                    let active = online.await.map(|s| s.status == OnlineStatus::Active).unwrap_or(false);
                    view! {
                        <ol class="checklist">
                            <li class:done=complete>
                                <a href="/parametres/entreprise">"Compléter le profil de votre entreprise"</a>
                                <span class="checklist-state">{if complete { "Fait" } else { "À faire" }}</span>
                            </li>
                            <li class:done=has_clients>
                                <a href="/clients">"Ajouter votre premier client"</a>
                                <span class="checklist-state">{if has_clients { "Fait" } else { "À faire" }}</span>
                            </li>
                            <li class:done=active>
                                <a href="/parametres/paiements">"Activer le paiement en ligne"</a>
                                <span class="checklist-state">{if active { "Fait" } else { "À faire" }}</span>
                            </li>
                            <li class:done=has_sent>
                                <a href="/factures/nouvelle">"Émettre et envoyer votre première facture"</a>
                                <span class="checklist-state">{if has_sent { "Fait" } else { "À faire" }}</span>
                            </li>
                        </ol>
                    }
                })}
            </Suspense>
        </section>
        <CashCard/>
    }
}

/// Money received this month and money expected, refreshed the moment a payment lands.
#[component]
fn CashCard() -> impl IntoView {
    // Bumped by each live payment event; the figures are fetched again from the server.
    let version = RwSignal::new(0u32);
    let cash = Resource::new(move || version.get(), |_| dashboard_cash());
    let fresh = RwSignal::new(false);
    listen_to_payments(version, fresh);
    view! {
        <section class="card cash" class:just-updated=move || fresh.get() data-testid="cash">
            <Transition fallback=|| view! { <p class="loading">"Chargement des encaissements…"</p> }>
                {move || Suspend::new(async move {
                    match cash.await {
                        Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                        Ok(c) => {
                            let money = |cents: i64| Money::from_cents(cents).to_string();
                            view! {
                                <h2>{format!("Chiffre d'affaires encaissé en {}", c.month)}</h2>
                                <p class="cash-received" data-testid="cash-received">{money(c.received_cents)}</p>
                                {(c.received_cents == 0).then(|| view! {
                                    <p class="hint">"Aucun encaissement ce mois-ci. Les paiements apparaissent ici dès qu'ils sont reçus."</p>
                                })}
                                <dl class="totals">
                                    <dt>"Frais des paiements en ligne"</dt><dd>{money(c.fees_cents)}</dd>
                                    <dt>"Net encaissé"</dt><dd>{money(c.received_cents - c.fees_cents)}</dd>
                                    <dt>"À encaisser"</dt><dd data-testid="cash-outstanding">{money(c.outstanding_cents)}</dd>
                                    <dt>"dont en retard"</dt><dd>{money(c.overdue_cents)}</dd>
                                </dl>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Listens to `/events` in the browser; each payment bumps `version` and flashes the card.
/// The browser's EventSource reconnects by itself after a network drop.
#[cfg(feature = "hydrate")]
fn listen_to_payments(version: RwSignal<u32>, fresh: RwSignal<bool>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    Effect::new(move |_| {
        let Ok(source) = web_sys::EventSource::new("/events") else { return };
        let on_payment = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            version.update(|v| *v += 1);
            fresh.set(true);
            set_timeout(move || fresh.set(false), std::time::Duration::from_millis(1500));
        });
        let _ =
            source.add_event_listener_with_callback("payment_recorded", on_payment.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("resync", on_payment.as_ref().unchecked_ref());
        // Both live as long as the page: closed (and the callback freed) when it goes.
        let live = send_wrapper::SendWrapper::new((source, on_payment));
        on_cleanup(move || live.0.close());
    });
}

#[cfg(not(feature = "hydrate"))]
fn listen_to_payments(_version: RwSignal<u32>, _fresh: RwSignal<bool>) {}
