//! « Livre des recettes »: the register of money received, by period, with its exports. It is
//! read from the payments and refunds, never typed in.

use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::components::query::{self, AddressQuery};
use crate::components::resource::resource;
use crate::domain::period::Period;
use crate::domain::{Date, Money};
use crate::error::AppError;
use crate::functions::receipts::receipts;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/recettes`, with the period of its address.
#[component]
pub fn ReceiptsRoute() -> impl IntoView {
    view! { <ReceiptsPage period=query::read(&["du", "au"])/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
fn ReceiptsPage(period: Vec<(String, String)>) -> impl IntoView {
    crate::components::island::count_hydrated();
    let query = AddressQuery::new("/recettes", period);
    let param = move |key: &str| query.get(key);
    let live = LiveVersion::new();
    listen(live);
    let register =
        resource(move || (param("du"), param("au"), live.version.get()), |(from, to, _)| receipts(from, to));
    let go = move |from: String, to: String| {
        query.set("du", from);
        query.set("au", to);
    };
    let (from_input, to_input) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <Title text="Livre des recettes"/>
        <div class="page-header">
            <h1>"Livre des recettes"</h1>
        </div>
        <p class="hint">
            "Le registre chronologique de vos encaissements, tenu à partir de vos paiements : il ne se modifie pas à la main. \
             Ce que vous remboursez à un client après un avoir y figure en montant négatif."
        </p>
        <Transition fallback=|| view! { <p class="loading">"Chargement du livre des recettes…"</p> }>
            {move || {
                Suspend::new(async move {
                match register.await {
                    Err(AppError::Invalid(errors)) => {
                        let message = errors.0.first().map(|e| e.message.clone()).unwrap_or_default();
                        view! {
                            <div class="alert alert-error" role="alert">
                                {format!("Période invalide : {message}")} " " <a href="/recettes">"Revenir à cette année"</a>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(r) => {
                        from_input.set(r.from.to_string());
                        to_input.set(r.to.to_string());
                        let quick = quick_periods(r.today);
                        view! {
                            <form class="period-filter" on:submit=move |ev| {
                                ev.prevent_default();
                                go(from_input.get_untracked(), to_input.get_untracked());
                            }>
                                <label>"Du" <input type="date" name="du" prop:value=move || from_input.get()
                                    on:input=move |ev| from_input.set(event_target_value(&ev))/></label>
                                <label>"Au" <input type="date" name="au" prop:value=move || to_input.get()
                                    on:input=move |ev| to_input.set(event_target_value(&ev))/></label>
                                <button type="submit" class="btn btn-secondary">"Afficher"</button>
                                {quick.into_iter().map(|(label, p)| {
                                    view! {
                                        <button type="button" class="btn btn-ghost"
                                            on:click=move |_| go(p.from.to_string(), p.to.to_string())>{label}</button>
                                    }
                                }).collect_view()}
                            </form>
                            <p class="exports">
                                <a class="btn btn-secondary" href=format!("/recettes/export.csv?from={}&to={}", r.from, r.to) download>"Exporter en CSV"</a>
                                " "
                                <a class="btn btn-secondary" href=format!("/recettes/export.pdf?from={}&to={}", r.from, r.to) target="_blank">"Exporter en PDF"</a>
                            </p>
                            {if r.lines.is_empty() {
                                view! {
                                    <div class="empty-state card">
                                        <p>{format!("Aucun encaissement du {} au {}.", r.from.french(), r.to.french())}</p>
                                        <p class="hint">"Les paiements reçus (en ligne ou enregistrés sur une facture) s'inscrivent ici automatiquement."</p>
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <section class="card table-card" class:just-updated=move || live.fresh.get()>
                                        <table data-testid="receipts">
                                            <caption class="sr-only">{format!("Encaissements du {} au {}", r.from.french(), r.to.french())}</caption>
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Date"</th>
                                                    <th scope="col">"Client"</th>
                                                    <th scope="col">"Facture"</th>
                                                    <th scope="col">"Nature"</th>
                                                    <th scope="col" class="amount">"Montant"</th>
                                                    <th scope="col">"Mode de paiement"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {r.lines.iter().map(|l| view! {
                                                    <tr class:negative={l.amount_cents < 0} class:test-line=l.test>
                                                        <td>{l.date.french()}</td>
                                                        <td>{l.client.clone()}</td>
                                                        <td><a href=format!("/factures/{}", l.invoice_id)>{l.invoice_number.clone()}</a></td>
                                                        <td>{l.nature.clone()}</td>
                                                        <td class="amount">{Money::from_cents(l.amount_cents).to_string()}</td>
                                                        <td>{l.method.clone()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                            <tfoot>
                                                <tr class="totals-row">
                                                    <td colspan="4">{match r.lines.len() { 1 => "Total (1 ligne)".to_string(), n => format!("Total ({n} lignes)") }}</td>
                                                    <td class="amount" data-testid="receipts-total">{Money::from_cents(r.total_cents).to_string()}</td>
                                                    <td></td>
                                                </tr>
                                            </tfoot>
                                        </table>
                                    </section>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })
            }}
        </Transition>
    }
}

/// The periods one click away.
fn quick_periods(day: Date) -> Vec<(&'static str, Period)> {
    vec![
        ("Ce mois-ci", Period::month_of(day)),
        ("Ce trimestre", Period::quarter_of(day)),
        ("Cette année", Period::year_of(day)),
        ("L'an dernier", Period::year_of(day).a_year_earlier()),
    ]
}
