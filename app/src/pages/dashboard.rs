//! « Tableau de bord »: the first steps of a new account, then revenue received (by the date
//! the money came in), what is still to collect, the URSSAF declaration and the ceilings. The
//! figures refresh in place the moment a payment lands.

use crate::components::bar_chart::{Bar, BarChart};
use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::domain::thresholds::{Gauge, GaugeLevel};
use crate::domain::{InvoiceStatus, Money};
use crate::functions::dashboard::{
    dashboard, DashboardView, DeclarationPeriod, FirstStepsView, PeriodFigure,
};
use leptos::prelude::*;
use leptos_meta::Title;

fn money(cents: i64) -> String {
    Money::from_cents(cents).to_string()
}

/// Where the figures are, for the live refresh to find them in the page and in its new copy.
const FIGURES: &str = "dashboard-figures";

/// Rendered on the server whole (`SsrMode::Async` on its route): the figures are plain HTML, and
/// the page's only island keeps them live.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Tableau de bord"/>
        <div class="page-header">
            <h1>"Tableau de bord"</h1>
        </div>
        <div id=FIGURES>
            <Suspense fallback=|| view! { <p class="loading">"Chargement des encaissements…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard().await {
                        Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                        Ok(d) => view! { <FirstSteps done=d.first_steps/> <Figures d/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
        <LiveFigures/>
    }
}

/// Keeps the figures live: on each event of `/events`, the page is read again from the server
/// and its figures, as the server renders them, take the place of the shown ones and flash. The
/// dashboard's bundle holds this island alone, as every session starts here: no view of the
/// figures and no JSON reader in it.
#[cfg_attr(any(feature = "ssr", feature = "bundle-dashboard"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-dashboard")), component)]
fn LiveFigures() -> impl IntoView {
    crate::components::island::count_hydrated();
    let live = LiveVersion::new();
    listen(live);
    #[cfg(feature = "hydrate")]
    Effect::new(move |seen: Option<()>| {
        live.version.track();
        if seen.is_some() {
            leptos::task::spawn_local(refresh_figures());
        }
    });
}

/// Replaces the shown figures with the server's current ones, and flashes those that may have
/// changed (`data-live`). Left as they are when the page cannot be read (offline, logged out).
#[cfg(feature = "hydrate")]
async fn refresh_figures() {
    use wasm_bindgen::JsCast;
    let Ok((200, html)) = crate::components::fetch::send("GET", "/").await else { return };
    let Some(fresh) = web_sys::DomParser::new()
        .and_then(|parser| parser.parse_from_string(&html, web_sys::SupportedType::TextHtml))
        .ok()
        .and_then(|page| page.get_element_by_id(FIGURES))
    else {
        return;
    };
    let Some(shown) = document().get_element_by_id(FIGURES) else { return };
    shown.set_inner_html(&fresh.inner_html());
    let flash = move |on: bool| {
        let Ok(cards) = shown.query_selector_all("[data-live]") else { return };
        for card in (0..cards.length()).filter_map(|i| cards.item(i)?.dyn_into::<web_sys::Element>().ok()) {
            let _ = card.class_list().toggle_with_force("just-updated", on);
        }
    };
    flash(true);
    set_timeout(move || flash(false), std::time::Duration::from_millis(1500));
}

/// Shown until the account is ready to be paid online.
#[component]
fn FirstSteps(done: FirstStepsView) -> impl IntoView {
    let steps = [
        (done.profile_complete, "/parametres/entreprise", "Compléter le profil de votre entreprise"),
        (done.has_clients, "/clients", "Ajouter votre premier client"),
        (done.online_active, "/parametres/paiements", "Activer le paiement en ligne"),
        (done.has_sent, "/factures/nouvelle", "Émettre et envoyer votre première facture"),
    ];
    (!steps.iter().all(|s| s.0)).then(|| {
        view! {
            <section class="card">
                <h2>"Premiers pas"</h2>
                <ol class="checklist">
                    {steps.into_iter().map(|(done, href, text)| view! {
                        <li class:done=done>
                            <a href=href>{text}</a>
                            <span class="checklist-state">{if done { "Fait" } else { "À faire" }}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn Figures(d: DashboardView) -> impl IntoView {
    let last_year = d.today.year() - 1;
    let bars: Vec<Bar> = d
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| Bar {
            short: m.short.clone(),
            // « 2026 » under the first month and under each January: the labels stay short.
            year: (i == 0 || m.month.ends_with("-01")).then(|| m.month[..4].to_owned()),
            long: m.long.clone(),
            cents: m.received_cents,
        })
        .collect();
    view! {
        <div class="period-cards" data-live data-testid="cash">
            {d.periods.iter().cloned().map(|p| view! { <PeriodCard p last_year/> }).collect_view()}
        </div>
        <div class="dashboard-grid">
            <section class="card cash" data-live>
                <h2>"Trésorerie"</h2>
                <dl class="figures">
                    <dt>"Encaissé ce mois-ci"</dt>
                    <dd data-testid="cash-received">{money(d.periods.first().map_or(0, |p| p.received_cents))}</dd>
                    <dt>"Frais des paiements en ligne"</dt><dd>{money(d.fees_cents)}</dd>
                    <dt>"Net encaissé"</dt><dd>{money(d.net_cents)}</dd>
                    <dt>"À encaisser"</dt><dd data-testid="cash-outstanding">{money(d.outstanding_cents)}</dd>
                    <dt>"dont en retard"</dt>
                    <dd class:overdue={d.overdue_cents > 0}>{money(d.overdue_cents)}</dd>
                </dl>
            </section>
            <section class="card chart-card" data-live data-testid="revenue-chart">
                <BarChart title="Chiffre d'affaires encaissé, 12 derniers mois".to_string() bars/>
            </section>
        </div>
        <section class="card" data-live data-testid="quote-figures">
            <h2>"Devis"</h2>
            <dl class="figures">
                <dt><a href="/devis?statut=en_attente">"En attente de réponse"</a></dt>
                <dd data-testid="quotes-awaiting">
                    {format!("{} devis · {}", d.quotes.awaiting, money(d.quotes.awaiting_cents))}
                </dd>
                <dt>{format!("Taux d'acceptation {}", d.today.year())}</dt>
                <dd data-testid="quotes-acceptance">
                    {match d.quotes.acceptance_percent() {
                        Some(pct) => format!("{pct} % ({} sur {})", d.quotes.accepted_in_year, d.quotes.sent_in_year),
                        None => "Aucun devis envoyé cette année".to_owned(),
                    }}
                </dd>
            </dl>
        </section>
        <div class="dashboard-grid">
            <Declaration d=d.declaration.clone() today=d.today/>
            <Thresholds gauges=d.gauges.clone() year=d.today.year()/>
        </div>
        <div class="dashboard-grid">
            <section class="card" data-testid="last-receipts">
                <h2>"Derniers encaissements"</h2>
                {if d.last_receipts.is_empty() {
                    view! { <p class="hint">"Aucun encaissement pour l'instant. Les paiements apparaissent ici dès qu'ils sont reçus."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {d.last_receipts.iter().map(|r| view! {
                                <li>
                                    <span>
                                        <a href=format!("/factures/{}", r.invoice_id)>{r.invoice_number.clone()}</a>
                                        " · " {r.client.clone()}
                                        <small>{format!("{} · {}", r.date.french(), r.method)}</small>
                                    </span>
                                    <strong class:negative={r.amount_cents < 0}>{money(r.amount_cents)}</strong>
                                </li>
                            }).collect_view()}
                        </ul>
                        <p><a href="/recettes">"Voir le livre des recettes"</a></p>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>"Prochaines échéances"</h2>
                {if d.next_due.is_empty() {
                    view! { <p class="hint">"Aucune facture en attente de paiement."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {d.next_due.iter().map(|i| view! {
                                <li>
                                    <span>
                                        <a href=format!("/factures/{}", i.id)>{i.number.clone()}</a>
                                        " · " {i.client.clone()}
                                        <small class:overdue=i.overdue>
                                            {if i.overdue { format!("en retard depuis le {}", i.due_date.french()) } else { format!("échéance le {}", i.due_date.french()) }}
                                        </small>
                                    </span>
                                    <strong>{money(i.due_cents)}</strong>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>"Factures par statut"</h2>
                {if d.statuses.is_empty() {
                    view! { <p class="hint">"Aucune facture pour l'instant."</p> }.into_any()
                } else {
                    let mut statuses = d.statuses.clone();
                    use InvoiceStatus::*;
                    let order = |s: InvoiceStatus| [Draft, Issued, Sent, PartiallyPaid, Paid, Cancelled].iter().position(|x| *x == s);
                    statuses.sort_by_key(|s| order(s.status));
                    view! {
                        <ul class="plain-list">
                            {statuses.into_iter().map(|s| view! {
                                <li>
                                    <a href=format!("/factures?statut={}", s.status.code())>
                                        {format!("{} ({})", s.status.label(), s.count)}
                                    </a>
                                    <strong>{money(s.total_cents)}</strong>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn PeriodCard(p: PeriodFigure, last_year: i64) -> impl IntoView {
    let change = (p.last_year_cents > 0)
        .then(|| (p.received_cents - p.last_year_cents) * 100 / p.last_year_cents)
        .map(|pct| if pct >= 0 { format!(" (+{pct} %)") } else { format!(" ({pct} %)") })
        .unwrap_or_default();
    view! {
        <section class="card period-card">
            <h2>{p.title.clone()}</h2>
            <p class="period-amount" data-testid="period-received">{money(p.received_cents)}</p>
            <p class="hint">
                {format!("Même période en {last_year} : {}{change}", money(p.last_year_cents))}
            </p>
        </section>
    }
}

#[component]
fn Declaration(d: crate::functions::dashboard::DeclarationView, today: crate::domain::Date) -> impl IntoView {
    let frequency = d.frequency.label().to_lowercase();
    view! {
        <section class="card" data-testid="declaration">
            <h2>"Déclaration URSSAF"</h2>
            <p class="hint">
                {format!("Déclaration {frequency} du chiffre d'affaires encaissé, hors taxes, arrondi à l'euro. ")}
                <a href="/parametres/entreprise#declaration">"Modifier"</a>
            </p>
            {d.to_declare.clone().map(|p| view! {
                <DeclarationBlock
                    title={if p.deadline >= today { "À déclarer" } else { "Dernière période close" }}
                    p
                    today
                />
            })}
            <DeclarationBlock title="En cours" p=d.current today/>
        </section>
    }
}

#[component]
fn DeclarationBlock(title: &'static str, p: DeclarationPeriod, today: crate::domain::Date) -> impl IntoView {
    let deadline = if p.deadline >= today {
        format!("À déclarer au plus tard le {}", p.deadline.french())
    } else {
        format!("Date limite passée le {}", p.deadline.french())
    };
    view! {
        <h3>{format!("{title} : {}", p.label)}</h3>
        <p class="hint">{deadline}</p>
        {if p.lines.is_empty() {
            view! { <p>"Aucun chiffre d'affaires sur cette période : déclarez 0 €."</p> }.into_any()
        } else {
            view! {
                <dl class="figures">
                    {p.lines.iter().map(|l| view! {
                        <dt>{l.category.label()}</dt>
                        <dd>{format!("{} €", l.euros)}</dd>
                    }).collect_view()}
                    <dt><strong>"Total"</strong></dt>
                    <dd><strong>{format!("{} €", p.total_euros)}</strong></dd>
                </dl>
            }.into_any()
        }}
    }
}

#[component]
fn Thresholds(gauges: Vec<Gauge>, year: i64) -> impl IntoView {
    view! {
        <section class="card" data-testid="thresholds">
            <h2>{format!("Plafonds {year}")}</h2>
            <p class="hint">"Chiffre d'affaires encaissé cette année (hors taxes), face aux seuils de votre activité."</p>
            {gauges.into_iter().map(|g| {
                let class = match g.level {
                    GaugeLevel::Fine => "gauge",
                    GaugeLevel::Close => "gauge gauge-close",
                    GaugeLevel::Over => "gauge gauge-over",
                };
                let width = format!("width: {}%", g.percent.min(100));
                view! {
                    <div class=class>
                        <div class="gauge-head">
                            <span>{g.label.clone()}</span>
                            <span>{format!("{} / {} ({} %)", money(g.revenue_cents), money(g.ceiling_cents), g.percent)}</span>
                        </div>
                        <div
                            class="gauge-track"
                            role="meter"
                            aria-label=g.label
                            aria-valuemin="0"
                            aria-valuemax={g.ceiling_cents / 100}
                            aria-valuenow={g.revenue_cents.max(0) / 100}
                        >
                            <div class="gauge-fill" style=width></div>
                        </div>
                        <p class="gauge-note">{g.note}</p>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}
