//! « Devis »: the business's quotes, filtered by status and client and searched by number or
//! client (in the URL, so that a filtered list can be bookmarked and works without JavaScript),
//! refreshed live when a client opens or answers one.

use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::components::query::{self, AddressQuery};
use crate::components::resource::resource;
use crate::domain::date::french_date;
use crate::domain::{Money, QuoteStatus};
use crate::functions::clients::list_clients;
use crate::functions::quotes::{list_quotes, QuoteView};
use leptos::prelude::*;
use leptos_meta::Title;

/// The filter « en attente de réponse » groups « envoyé » and « consulté ».
const WAITING: &str = "en_attente";

/// The URL parameters the list reads.
const PARAMS: [&str; 3] = ["statut", "client", "q"];

/// Whether `quote` is listed under the status `filter`, the `client` id and the `search` text.
fn matches(quote: &QuoteView, filter: &str, client: &str, search: &str) -> bool {
    let status = match filter {
        "" => true,
        WAITING => quote.status.awaits_answer(),
        code => quote.status.code() == code,
    };
    let client =
        client.is_empty() || quote.content.client_id.map(|id| id.to_string()).as_deref() == Some(client);
    let search = search.trim().to_lowercase();
    let found = search.is_empty()
        || quote.client_name.to_lowercase().contains(&search)
        || quote.number.as_deref().is_some_and(|n| n.to_lowercase().contains(&search));
    status && client && found
}

/// `/devis`, with the filters of its address.
#[component]
pub fn QuotesRoute() -> impl IntoView {
    view! { <QuotesPage filters=query::read(&PARAMS)/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
fn QuotesPage(filters: Vec<(String, String)>) -> impl IntoView {
    crate::components::island::count_hydrated();
    let query = AddressQuery::new("/devis", filters);
    let param = move |key: &str| query.get(key);
    let filter = move || param("statut");
    let live = LiveVersion::new();
    listen(live);
    let quotes = resource(move || live.version.get(), |_| list_quotes());
    let clients = resource(|| (), |_| list_clients(String::new(), false));
    let filters: Vec<(&'static str, &'static str)> =
        [("", "Tous les devis"), (WAITING, "En attente de réponse")]
            .into_iter()
            .chain(QuoteStatus::ALL.into_iter().map(|s| (s.code(), s.label())))
            .collect();
    view! {
        <Title text="Devis"/>
        <div class="page-header">
            <h1>"Devis"</h1>
            <a href="/devis/nouveau"><span class="btn btn-primary">"Nouveau devis"</span></a>
        </div>
        <form class="toolbar filters" method="get" action="/devis" role="search">
            <input type="search" name="q" class="search" placeholder="Numéro ou client"
                aria-label="Rechercher par numéro ou client"
                prop:value=move || param("q")
                on:input=move |ev| query.set("q", event_target_value(&ev))/>
            <select name="statut" aria-label="Statut" on:change=move |ev| query.set("statut", event_target_value(&ev))>
                {filters.into_iter().map(|(code, label)| view! {
                    <option value=code selected=move || filter() == code>{label}</option>
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
            <noscript><button type="submit" class="btn">"Filtrer"</button></noscript>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Chargement des devis…"</p> }>
            {move || {
                // Read here, outside the future, so that a change of filter redraws the list.
                let (status, client, search) = (filter(), param("client"), param("q"));
                Suspend::new(async move {
                match quotes.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"Aucun devis pour l'instant"</h2>
                            <p>"Proposez un devis à un client : il le lit, l'accepte en ligne et règle l'acompte par carte. Vous le facturez ensuite en un clic."</p>
                            <a href="/devis/nouveau"><span class="btn btn-primary">"Créer mon premier devis"</span></a>
                        </section>
                    }.into_any(),
                    Ok(list) => {
                        let shown: Vec<QuoteView> =
                            list.into_iter().filter(|q| matches(q, &status, &client, &search)).collect();
                        if shown.is_empty() {
                            view! {
                                <section class="card empty-state">
                                    <h2>"Aucun devis ne correspond à ces critères"</h2>
                                    <a href="/devis"><span class="btn">"Effacer les filtres"</span></a>
                                </section>
                            }.into_any()
                        } else {
                            quote_table(shown).into_any()
                        }
                    }
                }
                })
            }}
        </Transition>
    }
}

fn quote_table(list: Vec<QuoteView>) -> impl IntoView {
    let count = list.len();
    let total: Money = list.iter().map(|q| Money::from_cents(q.total_ttc_cents)).sum();
    let rows = list
        .into_iter()
        .map(|q| {
            let href = format!("/devis/{}", q.id);
            let label = q.number.clone().unwrap_or_else(|| "Brouillon".into());
            let status_class = format!("status status-{}", q.status.code());
            view! {
                <tr data-quote=q.id>
                    <td class="doc-number"><a href=href>{label}</a></td>
                    <td>{if q.client_name.is_empty() { "—".to_string() } else { q.client_name.clone() }}</td>
                    <td>{french_date(&q.content.date)}</td>
                    <td>{french_date(&q.content.valid_until)}</td>
                    <td class="amount">{Money::from_cents(q.total_ttc_cents).to_string()}</td>
                    <td><span class=status_class>{q.status.label()}</span></td>
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
                        <th>"Valable jusqu'au"</th>
                        <th class="amount">"Total TTC"</th>
                        <th>"Statut"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr class="totals-row">
                        <td colspan="4">{format!("{count} devis")}</td>
                        <td class="amount" data-testid="quotes-total">{total.to_string()}</td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}
