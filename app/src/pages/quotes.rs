//! « Devis »: the business's quotes, filtered by status (in the URL, so that a filtered list can
//! be bookmarked and works without JavaScript), refreshed live when a client opens or answers one.

use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::domain::date::french_date;
use crate::domain::{Money, QuoteStatus};
use crate::functions::quotes::{list_quotes, QuoteView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The filter « en attente de réponse » groups « envoyé » and « consulté ».
const WAITING: &str = "en_attente";

fn matches(filter: &str, status: QuoteStatus) -> bool {
    match filter {
        "" => true,
        WAITING => status.awaits_answer(),
        code => status.code() == code,
    }
}

#[component]
pub fn QuotesPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("statut").unwrap_or_default());
    let live = LiveVersion::new();
    listen(live);
    let quotes = Resource::new(move || live.version.get(), |_| list_quotes());
    let navigate = use_navigate();
    let set_filter = move |value: String| {
        let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
        let query = if value.is_empty() { String::new() } else { format!("?statut={value}") };
        navigate(&format!("/devis{query}"), options);
    };
    let filters: Vec<(&'static str, &'static str)> =
        [("", "Tous les devis"), (WAITING, "En attente de réponse")]
            .into_iter()
            .chain(QuoteStatus::ALL.into_iter().map(|s| (s.code(), s.label())))
            .collect();
    view! {
        <Title text="Devis"/>
        <div class="page-header">
            <h1>"Devis"</h1>
            <A href="/devis/nouveau"><span class="btn btn-primary">"Nouveau devis"</span></A>
        </div>
        <form class="toolbar filters" method="get" action="/devis" role="search">
            <select name="statut" aria-label="Statut" on:change=move |ev| set_filter(event_target_value(&ev))>
                {filters.into_iter().map(|(code, label)| view! {
                    <option value=code selected=move || filter() == code>{label}</option>
                }).collect_view()}
            </select>
            <noscript><button type="submit" class="btn">"Filtrer"</button></noscript>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Chargement des devis…"</p> }>
            {move || Suspend::new(async move {
                match quotes.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"Aucun devis pour l'instant"</h2>
                            <p>"Proposez un devis à un client : il le lit, l'accepte en ligne et règle l'acompte par carte. Vous le facturez ensuite en un clic."</p>
                            <A href="/devis/nouveau"><span class="btn btn-primary">"Créer mon premier devis"</span></A>
                        </section>
                    }.into_any(),
                    Ok(list) => {
                        let shown: Vec<QuoteView> = list.into_iter().filter(|q| matches(&filter(), q.status)).collect();
                        if shown.is_empty() {
                            view! {
                                <section class="card empty-state">
                                    <h2>"Aucun devis ne correspond à ce filtre"</h2>
                                    <A href="/devis"><span class="btn">"Voir tous les devis"</span></A>
                                </section>
                            }.into_any()
                        } else {
                            quote_table(shown).into_any()
                        }
                    }
                }
            })}
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
                    <td><A href=href>{label}</A></td>
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
