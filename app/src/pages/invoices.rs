//! « Factures »: the list of invoices and drafts.

use crate::components::form::ErrorBanner;
use crate::domain::Money;
use crate::functions::invoices::{list_invoices, InvoiceView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let invoices = Resource::new(|| (), |_| list_invoices());
    view! {
        <Title text="Factures"/>
        <div class="page-header">
            <h1>"Factures"</h1>
            <A href="/factures/nouvelle"><span class="btn btn-primary">"Nouvelle facture"</span></A>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Chargement des factures…"</p> }>
            {move || Suspend::new(async move {
                match invoices.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"Aucune facture pour l'instant"</h2>
                            <p>"Créez votre première facture : les totaux se calculent pendant la saisie, et le numéro est attribué à l'émission."</p>
                            <A href="/factures/nouvelle"><span class="btn btn-primary">"Créer ma première facture"</span></A>
                        </section>
                    }.into_any(),
                    Ok(list) => invoice_table(list).into_any(),
                }
            })}
        </Suspense>
    }
}

fn invoice_table(list: Vec<InvoiceView>) -> impl IntoView {
    let total: Money = list.iter().map(|i| Money::from_cents(i.total_ttc_cents)).sum();
    let count = list.len();
    let rows = list
        .into_iter()
        .map(|i| {
            let href = format!("/factures/{}", i.id);
            let label = i.number.clone().unwrap_or_else(|| "Brouillon".into());
            let status_class = format!("status status-{}", i.status_label.to_lowercase().replace(' ', "-"));
            view! {
                <tr>
                    <td><A href=href>{label}</A></td>
                    <td>{if i.client_name.is_empty() { "—".to_string() } else { i.client_name.clone() }}</td>
                    <td>{french_date(&i.issue_date)}</td>
                    <td>{french_date(&i.due_date)}</td>
                    <td class="amount">{Money::from_cents(i.total_ttc_cents).to_string()}</td>
                    <td><span class=status_class>{i.status_label.clone()}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card table-card">
            <table>
                <thead>
                    <tr>
                        <th>"Numéro"</th>
                        <th>"Client"</th>
                        <th>"Date"</th>
                        <th>"Échéance"</th>
                        <th class="amount">"Total TTC"</th>
                        <th>"Statut"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="table-count">
                {format!("{count} facture{} · {total}", if count > 1 { "s" } else { "" })}
            </p>
        </section>
    }
}

/// `2026-11-27` → `27/11/2026`; anything else as is.
pub fn french_date(iso: &str) -> String {
    crate::domain::Date::parse(iso).map(|d| d.french()).unwrap_or_else(|_| iso.to_owned())
}
