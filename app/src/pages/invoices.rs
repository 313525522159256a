//! « Factures »: invoices, credit notes and drafts, filtered by status and client, searched by
//! number or client, sorted by date or amount, with the totals of what is listed. The filters
//! live in the URL, so a filtered list can be bookmarked and works without JavaScript.

use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::components::query::{self, AddressQuery};
use crate::components::resource::resource;
use crate::domain::{DocumentKind, ListFilter, ListSort, Money};
use crate::functions::clients::list_clients;
use crate::functions::invoices::{list_invoices, InvoiceListView};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/factures`, with the filters of its address.
#[component]
pub fn InvoicesRoute() -> impl IntoView {
    view! { <InvoicesPage filters=query::read(&["statut", "client", "q", "tri"])/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
fn InvoicesPage(filters: Vec<(String, String)>) -> impl IntoView {
    crate::components::island::count_hydrated();
    let query = AddressQuery::new("/factures", filters);
    let param = move |key: &str| query.get(key);
    // A payment or a new invoice elsewhere refreshes the list in place.
    let live = LiveVersion::new();
    listen(live);
    let invoices = resource(
        move || (param("statut"), param("client"), param("q"), param("tri"), live.version.get()),
        |(status, client, search, sort, _)| list_invoices(status, client.parse().ok(), search, sort, 0),
    );
    let clients = resource(|| (), |_| list_clients(String::new(), false));
    let filtered = move || query.any();

    view! {
        <Title text="Factures"/>
        <div class="page-header">
            <h1>"Factures"</h1>
            <a href="/factures/nouvelle"><span class="btn btn-primary">"Nouvelle facture"</span></a>
        </div>
        <form class="toolbar filters" method="get" action="/factures" role="search">
            <input type="search" name="q" class="search" placeholder="Numéro ou client"
                aria-label="Rechercher par numéro ou client"
                prop:value=move || param("q")
                on:input=move |ev| query.set("q", event_target_value(&ev))/>
            <select name="statut" aria-label="Statut" on:change=move |ev| query.set("statut", event_target_value(&ev))>
                {ListFilter::ALL.into_iter().map(|f| view! {
                    <option value=f.code() selected=move || param("statut") == f.code()>{f.label()}</option>
                }).collect_view()}
            </select>
            <select name="client" aria-label="Client" on:change=move |ev| query.set("client", event_target_value(&ev))>
                <option value="">"Tous les clients"</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        clients.await.unwrap_or_default().into_iter().map(|c| {
                            let id = c.id.to_string();
                            let selected = { let id = id.clone(); move || param("client") == id };
                            view! { <option value=id selected=selected>{c.client.name}</option> }
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <select name="tri" aria-label="Trier" on:change=move |ev| query.set("tri", event_target_value(&ev))>
                {ListSort::ALL.into_iter().map(|s| view! {
                    <option value=s.code() selected=move || ListSort::from_code(&param("tri")) == Some(s)>{s.label()}</option>
                }).collect_view()}
            </select>
            <noscript><button type="submit" class="btn">"Filtrer"</button></noscript>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Chargement des factures…"</p> }>
            {move || Suspend::new(async move {
                match invoices.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.count == 0 && !filtered() => view! {
                        <section class="card empty-state">
                            <h2>"Aucune facture pour l'instant"</h2>
                            <p>"Créez votre première facture : les totaux se calculent pendant la saisie, et le numéro est attribué à l'émission."</p>
                            <a href="/factures/nouvelle"><span class="btn btn-primary">"Créer ma première facture"</span></a>
                        </section>
                    }.into_any(),
                    Ok(list) if list.count == 0 => view! {
                        <section class="card empty-state">
                            <h2>"Aucune facture ne correspond à ces critères"</h2>
                            <a href="/factures"><span class="btn">"Effacer les filtres"</span></a>
                        </section>
                    }.into_any(),
                    Ok(list) => invoice_table(list, live).into_any(),
                }
            })}
        </Transition>
    }
}

fn invoice_table(list: InvoiceListView, live: LiveVersion) -> impl IntoView {
    let shown = list.items.len() as i64;
    let rows = list
        .items
        .into_iter()
        .map(|i| {
            let href = format!("/factures/{}", i.id);
            let label = i.number.clone().unwrap_or_else(|| "Brouillon".into());
            let credit_note = i.kind == DocumentKind::CreditNote;
            let status_class = format!("status status-{}", i.status_label.to_lowercase().replace(' ', "-"));
            let ttc = Money::from_cents(if credit_note { -i.total_ttc_cents } else { i.total_ttc_cents });
            let due = (i.status.awaits_payment() && !credit_note)
                .then(|| crate::domain::amount_due(i.kind, i.status, Money::from_cents(i.balance_cents)));
            let id = i.id;
            let changed = move || live.fresh.get() && live.invoice.get() == Some(id);
            view! {
                <tr class:just-updated=changed data-invoice=id>
                    <td class="doc-number"><a href=href>{label}</a></td>
                    <td>{if i.client_name.is_empty() { "—".to_string() } else { i.client_name.clone() }}</td>
                    <td>{french_date(&i.issue_date)}</td>
                    <td>{if credit_note { "—".to_string() } else { french_date(&i.due_date) }}</td>
                    <td class="amount">{ttc.to_string()}</td>
                    <td class="amount">{due.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td><span class=status_class>{i.status_label.clone()}</span></td>
                </tr>
            }
        })
        .collect_view();
    let count = list.count;
    let plural = if count > 1 { "s" } else { "" };
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
                        <th class="amount">"Reste dû"</th>
                        <th>"Statut"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr class="totals-row">
                        <td colspan="4">{format!("{count} document{plural}")}</td>
                        <td class="amount" data-testid="list-total">{Money::from_cents(list.total_ttc_cents).to_string()}</td>
                        <td class="amount" data-testid="list-due">{Money::from_cents(list.total_due_cents).to_string()}</td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
            {(count > shown).then(|| view! {
                <p class="table-count">{format!("Les {shown} premiers sont affichés : affinez la recherche pour voir les autres.")}</p>
            })}
        </section>
    }
}

pub use crate::domain::date::french_date;
