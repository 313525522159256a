//! « Tableau de bord ». For now: the first steps of a new account; revenue figures come next.

use crate::components::shell::ShellData;
use crate::domain::{InvoiceStatus, OnlineStatus};
use crate::functions::clients::list_clients;
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
        <section class="card empty-state">
            <h2>"Chiffre d'affaires encaissé"</h2>
            <p>"Aucun encaissement pour l'instant. Vos recettes apparaîtront ici dès le premier paiement reçu."</p>
        </section>
    }
}
