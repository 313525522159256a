//! An issued invoice or credit note, as frozen at issue time: its lines and totals, payments,
//! credit notes, timeline, and « Annuler / corriger ».

use super::credit::CreditNoteForm;
use super::payments::Payments;
use super::send::SendDialog;
use super::TotalsBox;
use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::domain::{ClientKind, DocumentKind, InvoiceLine, Money, OperationNature, PaymentMethod};
use crate::functions::invoices::InvoiceView;
use crate::pages::invoices::french_date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IssuedInvoice(invoice: InvoiceView, today: String) -> impl IntoView {
    let lines: Vec<InvoiceLine> =
        invoice.content.lines.iter().filter_map(|l| l.parse(invoice.franchise).ok()).collect();
    let totals = crate::domain::invoice_lines::totals(&lines);
    let credit_note = invoice.kind == DocumentKind::CreditNote;
    let title = format!(
        "{} {}",
        if credit_note { "Avoir" } else { invoice.content.title() },
        invoice.number.clone().unwrap_or_default()
    );
    let methods = PaymentMethod::labels(&invoice.content.payment_methods);
    let rows = lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.description.clone()}</td>
                    <td class="amount">{format!("{} {}", l.quantity, l.unit)}</td>
                    <td class="amount">{l.unit_price.to_string()}</td>
                    <td class="amount">{l.total_ht().to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let parties = parties(&invoice);
    let service_label = if invoice.content.service_end.is_empty() {
        "Date de la vente ou prestation : "
    } else {
        "Période : "
    };
    let service_dates = if invoice.content.service_end.is_empty() {
        french_date(&invoice.content.service_date)
    } else {
        format!(
            "du {} au {}",
            french_date(&invoice.content.service_date),
            french_date(&invoice.content.service_end)
        )
    };
    let operation = OperationNature::ALL
        .into_iter()
        .find(|o| o.code() == invoice.content.operation)
        .map_or("", OperationNature::label);
    let franchise = invoice.franchise;
    let credits = invoice.credits.clone();
    let quote = invoice
        .content
        .quote_id
        .map(|id| (id, invoice.content.quote_number.clone(), invoice.content.deposit));
    let reason = invoice.content.notes.clone();
    let delivery = invoice.content.has_delivery().then(|| {
        let c = &invoice.content;
        format!("{}, {} {}", c.delivery_line1.trim(), c.delivery_postal_code.trim(), c.delivery_city.trim())
    });
    let pay_url = invoice.pay_url.clone();
    let pdf_url = format!("/invoices/{}/pdf", invoice.id);
    let receipt_url = format!("{pdf_url}?acquittee=1");
    let facturx_url = format!("/invoices/{}/factur-x.xml", invoice.id);
    let preview_url = pdf_url.clone();
    let notice_url = format!("/invoices/{}/mise-en-demeure", invoice.id);
    let state = RwSignal::new(invoice);
    // Live like the dashboard: a payment by card, or one recorded in another tab, shows at
    // once (status, payments, what is left to pay, which forms are offered).
    let live = LiveVersion::new();
    listen(live);
    Effect::new(move |seen: Option<()>| {
        live.version.track();
        let id = state.with_untracked(|i| i.id);
        if seen.is_some() && live.invoice.get_untracked().is_none_or(|about| about == id) {
            reload(state);
        }
    });
    let overdue = {
        let today = today.clone();
        Signal::derive(move || {
            state.with(|i| {
                i.kind == DocumentKind::Invoice
                    && i.status.awaits_payment()
                    && i.balance_cents > 0
                    && today > i.due_date
            })
        })
    };
    let correcting = RwSignal::new(false);
    let previewing = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let sent_notice = RwSignal::new(false);
    let on_sent = Callback::new(move |sent: bool| {
        sending.set(false);
        if sent {
            sent_notice.set(true);
            reload(state);
        }
    });
    let can_send = move || state.with(|i| i.kind == DocumentKind::Invoice && i.status.may_send());
    let can_credit = move || {
        state.with(|i| {
            i.kind == DocumentKind::Invoice && i.status.after(crate::domain::InvoiceEvent::Credit).is_some()
        })
    };
    let status_class = move || {
        state.with(|i| {
            format!("status invoice-status status-{}", i.status_label.to_lowercase().replace(' ', "-"))
        })
    };

    view! {
        <Title text=title.clone()/>
        <div class="page-header">
            <h1 class="invoice-number">{title}</h1>
            <span class=status_class>{move || state.with(|i| i.status_label.clone())}</span>
        </div>
        {credits.map(|(id, number)| view! {
            <p class="alert alert-info">
                "Avoir sur la facture " <a href=format!("/factures/{id}")>{number}</a>
                {(!reason.is_empty()).then(|| format!(" — motif : {reason}"))}
            </p>
        })}
        {quote.map(|(id, number, deposit)| view! {
            <p class="alert alert-info" data-testid="quote-reference">
                {if deposit { "Acompte sur le devis " } else { "Facture du devis " }}
                <a href=format!("/devis/{id}")>{number}</a>
            </p>
        })}
        <div class="document-actions">
            <Show when=can_send>
                <button type="button" class="btn btn-primary" on:click=move |_| { sent_notice.set(false); sending.set(true); }>
                    "Envoyer par e-mail"
                </button>
            </Show>
            <a class="btn btn-secondary" href=pdf_url download rel="external">"Télécharger le PDF"</a>
            <a class="btn btn-ghost" href=facturx_url download rel="external" data-testid="facturx-link"
                title="Le PDF est une facture électronique Factur-X : son XML, seul">
                "Factur-X EN 16931 (XML)"
            </a>
            <Show when=move || overdue.get()>
                <a class="btn btn-ghost" href=notice_url.clone() download rel="external" data-testid="formal-notice-link"
                    title="Lettre formelle à envoyer en recommandé : montant dû, pénalités de retard et indemnité">
                    "Mise en demeure (PDF)"
                </a>
            </Show>
            <Show when=move || state.with(|i| i.status == crate::domain::InvoiceStatus::Paid && i.kind == DocumentKind::Invoice)>
                <a class="btn btn-secondary" href=receipt_url.clone() download rel="external">
                    "Facture acquittée (PDF)"
                </a>
            </Show>
        </div>
        {move || sent_notice.get().then(|| view! {
            <p class="alert alert-success" role="status">
                "E-mail mis en file d'envoi. Suivez sa remise dans la " <a href="/boite-d-envoi">"boîte d'envoi"</a> "."
            </p>
        })}
        <Show when=move || sending.get()>
            <section class="card">
                <h2>"Envoyer par e-mail"</h2>
                <SendDialog id=state.with_untracked(|i| i.id) on_done=on_sent/>
            </section>
        </Show>
        <section class="card pdf-preview">
            <button type="button" class="btn btn-ghost" aria-expanded=move || previewing.get().to_string()
                on:click=move |_| previewing.update(|p| *p = !*p)>
                {move || if previewing.get() { "Masquer l'aperçu du PDF" } else { "Aperçu du PDF" }}
            </button>
            // Rendered only when asked for, so opening the page costs no PDF.
            <Show when=move || previewing.get()>
                <iframe src=preview_url.clone() title="Aperçu du PDF"></iframe>
            </Show>
        </section>
        <section class="card">
            <div class="parties">
                {parties}
            </div>
            <p>
                <strong>"Date : "</strong>{state.with_untracked(|i| french_date(&i.issue_date))}
                {(!credit_note).then(|| view! {
                    " · " <strong>"Échéance : "</strong>{state.with_untracked(|i| french_date(&i.due_date))}
                })}
                " · " <strong>{service_label}</strong>{service_dates}
                " · " {operation}
            </p>
            {delivery.map(|d| view! { <p><strong>"Adresse de livraison : "</strong>{d}</p> })}
            <div class="table-card" tabindex="0" role="region" aria-label="Lignes">
                <table>
                    <thead>
                        <tr><th>"Description"</th><th class="amount">"Quantité"</th><th class="amount">"Prix unitaire HT"</th><th class="amount">"Total HT"</th></tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <TotalsBox totals=Signal::stored(totals) franchise/>
            {(!credit_note).then(|| view! { <p><strong>"Moyens de paiement : "</strong>{methods}</p> })}
            {(!credit_note && !reason.is_empty()).then(|| view! { <p class="invoice-notes">{reason.clone()}</p> })}
            {pay_url.map(|url| view! {
                <p class="field-hint pay-link">"Lien de paiement sécurisé de la facture : " <code>{url}</code></p>
            })}
        </section>
        {(!credit_note).then(|| view! { <Payments state today/> })}
        {(!credit_note).then(|| view! { <Reminders state/> })}
        <CreditNotes state/>
        <Show when=can_credit>
            <section class="card">
                <h2>"Annuler ou corriger"</h2>
                <p class="field-hint">"Une facture émise ne se modifie plus : on l'annule ou on la corrige par un avoir, qui porte son propre numéro."</p>
                <Show when=move || !correcting.get()
                    fallback=move || view! { <CreditNoteForm invoice=state.get_untracked() on_cancel=Callback::new(move |_| correcting.set(false))/> }>
                    <button type="button" class="btn btn-secondary" on:click=move |_| correcting.set(true)>"Annuler / corriger"</button>
                </Show>
            </section>
        </Show>
        <Emails state/>
        <Timeline state/>
    }
    .into_any()
}

/// Who sells to whom, from the snapshots taken at issue time.
fn parties(invoice: &InvoiceView) -> impl IntoView {
    let seller = invoice.seller.clone().map(|s| {
        let vat = if s.is_franchise() { String::new() } else { format!("TVA {}", s.vat_number) };
        view! {
            <address class="party">
                <strong>{s.name}</strong><br/>
                {s.address_line1}<br/>
                {(!s.address_line2.is_empty()).then(|| view! { {s.address_line2.clone()}<br/> })}
                {format!("{} {}", s.postal_code, s.city)}<br/>
                {format!("SIRET {}", s.siret)}<br/>
                {vat}
            </address>
        }
    });
    let client = invoice.client.clone().map(|c| {
        let siren = (c.kind == ClientKind::Business.code() && !c.siren.is_empty())
            .then(|| format!("SIREN {}", c.siren));
        view! {
            <address class="party party-client">
                <span class="party-role">"Client"</span><br/>
                <strong>{c.name}</strong><br/>
                {c.address_line1}<br/>
                {(!c.address_line2.is_empty()).then(|| view! { {c.address_line2.clone()}<br/> })}
                {format!("{} {}", c.postal_code, c.city)}<br/>
                {siren}
            </address>
        }
    });
    view! { {seller}{client} }
}

/// Fetches the invoice again (status, timeline, e-mails changed on the server).
fn reload(state: RwSignal<InvoiceView>) {
    let id = state.with_untracked(|i| i.id);
    leptos::task::spawn_local(async move {
        if let Ok(fresh) = crate::functions::invoices::get_invoice(id).await {
            state.set(fresh);
        }
    });
}

/// The automatic reminders: those sent, the next one planned, and « Ne pas relancer cette
/// facture » (or « Reprendre les relances »).
#[component]
fn Reminders(state: RwSignal<InvoiceView>) -> impl IntoView {
    let toggle = ServerAction::<crate::functions::reminders::SetInvoiceReminders>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = toggle.value().get() {
            reload(state);
        }
    });
    let error = Signal::derive(move || toggle.value().get().and_then(Result::err));
    move || {
        state.with(|i| {
            let id = i.id;
            let plan = i.reminders.clone()?;
            let awaits = i.status.awaits_payment();
            if plan.sent.is_empty() && !awaits {
                return None;
            }
            let sent = plan
                .sent
                .iter()
                .map(|s| view! { <li>{format!("Relance {} envoyée le {}", s.step, s.at_label)}</li> })
                .collect_view();
            let status = match (&plan.next, plan.stopped, plan.policy_enabled) {
                _ if !awaits => None,
                _ if plan.blocked.is_some() => Some(view! { <p data-testid="next-reminder">{plan.blocked.clone()}</p> }.into_any()),
                (_, true, _) => Some(view! { <p data-testid="next-reminder">"Relances arrêtées pour cette facture."</p> }.into_any()),
                (_, _, false) => Some(view! {
                    <p data-testid="next-reminder">
                        "Relances automatiques désactivées : " <a href="/parametres/relances">"Paramètres › Relances"</a>
                    </p>
                }.into_any()),
                (Some(next), _, _) => Some(view! {
                    <p data-testid="next-reminder">
                        <strong>"Prochaine relance : "</strong>{format!("{} — le {}", next.step, next.at_label)}
                    </p>
                }.into_any()),
                (None, _, _) => Some(view! { <p data-testid="next-reminder">"Plus de relance prévue."</p> }.into_any()),
            };
            let button = (awaits && plan.policy_enabled).then(|| {
                let enabled = plan.stopped;
                view! {
                    <button type="button" class="btn btn-secondary" disabled=move || toggle.pending().get()
                        on:click=move |_| { toggle.dispatch(crate::functions::reminders::SetInvoiceReminders { id, enabled }); }>
                        {if enabled { "Reprendre les relances" } else { "Ne pas relancer cette facture" }}
                    </button>
                }
            });
            Some(view! {
                <section class="card reminders" aria-labelledby="relances">
                    <h2 id="relances">"Relances"</h2>
                    {status}
                    <ul class="reminders-sent">{sent}</ul>
                    <ErrorBanner error/>
                    {button}
                </section>
            })
        })
    }
}

/// The credit notes issued against an invoice.
#[component]
fn CreditNotes(state: RwSignal<InvoiceView>) -> impl IntoView {
    move || {
        state.with(|i| {
            (!i.credit_notes.is_empty()).then(|| {
                let rows = i
                    .credit_notes
                    .iter()
                    .map(|(id, number, ttc)| {
                        let number = number.clone();
                        view! {
                            <li>
                                <a href=format!("/factures/{id}")>{number}</a>
                                {format!(" — {}", Money::from_cents(*ttc))}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="card">
                        <h2>"Avoirs"</h2>
                        <ul class="credit-notes">{rows}</ul>
                    </section>
                }
            })
        })
    }
}

/// The e-mails sent for the invoice and how their delivery went; a failed one can be retried.
#[component]
fn Emails(state: RwSignal<InvoiceView>) -> impl IntoView {
    let retry = ServerAction::<crate::functions::email::RetryEmail>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = retry.value().get() {
            reload(state);
        }
    });
    move || {
        state.with(|i| {
            (!i.emails.is_empty()).then(|| {
                let rows = i
                    .emails
                    .iter()
                    .map(|m| {
                        let id = m.id;
                        let failed = m.failed;
                        let status = m.status_label.clone();
                        view! {
                            <li>
                                {format!("{} — {} : ", m.date, m.recipients)}
                                <a href=format!("/boite-d-envoi/{id}")>{status}</a>
                                {failed.then(|| view! {
                                    <span class="outbox-failed">" — l'envoi a échoué. "</span>
                                    <button type="button" class="btn btn-ghost" on:click=move |_| { retry.dispatch(crate::functions::email::RetryEmail { id }); }>"Réessayer"</button>
                                })}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="card">
                        <h2>"E-mails"</h2>
                        <ul class="emails">{rows}</ul>
                    </section>
                }
            })
        })
    }
}

/// What happened to the document, oldest first.
#[component]
fn Timeline(state: RwSignal<InvoiceView>) -> impl IntoView {
    let entries = move || {
        state.with(|i| {
            i.history
                .iter()
                .map(|h| {
                    let label = h.label.clone();
                    let text = match h.link {
                        Some(id) => view! { <a href=format!("/factures/{id}")>{label}</a> }.into_any(),
                        None => view! { <span>{label}</span> }.into_any(),
                    };
                    view! { <li><time>{h.date.clone()}</time> " " {text}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card">
            <h2>"Historique"</h2>
            <ol class="timeline">{entries}</ol>
        </section>
    }
}
