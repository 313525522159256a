//! Payments received on an issued invoice and refunds given back, with the forms that record them.

use crate::domain::{Money, PaymentMethod};
use crate::error::AppError;
use crate::functions::invoices::{record_payment, record_refund, refund_by_card, InvoiceView};
use crate::pages::invoices::french_date;
use leptos::prelude::*;

/// Payments received, refunds, what is still due or owed back, and the form that fits.
#[component]
pub fn Payments(state: RwSignal<InvoiceView>, today: String) -> impl IntoView {
    let due = move || state.with(|i| Money::from_cents(i.balance_cents.max(0)));
    let awaits = move || state.with(|i| i.status.awaits_payment());
    let refund_today = today.clone();
    let payment_rows = move || {
        state.with(|i| {
            i.payments
                .iter()
                .map(|p| {
                    let mut label = PaymentMethod::received_label(&p.method).to_owned();
                    if p.fee_cents > 0 {
                        label.push_str(&format!(
                            " — frais {}, net {}",
                            Money::from_cents(p.fee_cents),
                            Money::from_cents(p.amount_cents - p.fee_cents)
                        ));
                    }
                    view! {
                        <tr>
                            <td>{french_date(&p.received_on)}</td>
                            <td>{label}</td>
                            <td class="amount">{Money::from_cents(p.amount_cents).to_string()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card">
            <h2>"Paiements"</h2>
            <dl class="totals">
                {move || state.with(|i| (i.amount_credited_cents > 0).then(|| view! {
                    <dt>"Crédité par avoir"</dt>
                    <dd class="amount-credited">{format!("− {}", Money::from_cents(i.amount_credited_cents))}</dd>
                }))}
                <dt>"Déjà payé"</dt>
                <dd class="amount-paid">{move || state.with(|i| Money::from_cents(i.amount_paid_cents).to_string())}</dd>
                <dt class="grand">"Reste à payer"</dt>
                <dd class="grand amount-due">{move || due().to_string()}</dd>
                {move || state.with(|i| (i.balance_cents < 0).then(|| view! {
                    <dt class="grand">"À rembourser au client"</dt>
                    <dd class="grand refund-due">{Money::from_cents(-i.balance_cents).to_string()}</dd>
                }))}
            </dl>
            <Show when=move || state.with(|i| !i.payments.is_empty())>
                <div class="table-card" tabindex="0" role="region" aria-label="Paiements reçus">
                    <table>
                        <thead><tr><th>"Date"</th><th>"Moyen"</th><th class="amount">"Montant"</th></tr></thead>
                        <tbody>{payment_rows}</tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || state.with(|i| !i.refunds.is_empty())>
                <div class="table-card" tabindex="0" role="region" aria-label="Remboursements">
                    <table data-testid="refunds">
                        <thead><tr><th>"Remboursé le"</th><th>"Moyen"</th><th class="amount">"Montant"</th></tr></thead>
                        <tbody>
                            {move || state.with(|i| i.refunds.iter().map(|r| view! {
                                <tr>
                                    <td>{french_date(&r.received_on)}</td>
                                    <td>{PaymentMethod::received_label(&r.method).to_owned()}</td>
                                    <td class="amount">{format!("− {}", Money::from_cents(r.amount_cents))}</td>
                                </tr>
                            }).collect_view())}
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || state.with(|i| !i.card_refunds.is_empty())>
                <ul class="card-refunds" data-testid="card-refunds">
                    {move || state.with(|i| i.card_refunds.iter().map(|r| view! {
                        <li class:outbox-failed=r.failed>
                            {format!("Remboursement par carte de {} demandé le {} : {}", Money::from_cents(r.amount_cents), r.date, r.status_label)}
                        </li>
                    }).collect_view())}
                </ul>
            </Show>
            <Show when=move || state.with(|i| i.card_refundable_cents > 0)>
                <CardRefundForm state/>
            </Show>
            <Show when={move || state.with(|i| i.balance_cents < 0)}>
                <ByHandForm state today=refund_today.clone() movement=Movement::Refund/>
            </Show>
            <Show when=awaits>
                <ByHandForm state today=today.clone() movement=Movement::Payment/>
            </Show>
        </section>
    }
    .into_any()
}

/// « Rembourser par carte »: what the client is owed goes back to the card that paid, through
/// Stripe; the refund shows as « En cours » until Stripe confirms it.
#[component]
fn CardRefundForm(state: RwSignal<InvoiceView>) -> impl IntoView {
    let amount =
        RwSignal::new(state.with_untracked(|i| Money::from_cents(i.card_refundable_cents).to_input()));
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = state.with_untracked(|i| i.id);
        let typed = amount.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match refund_by_card(id, typed).await {
                Ok(updated) => {
                    amount.set(Money::from_cents(updated.card_refundable_cents).to_input());
                    state.set(updated);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let amount_error = move || error.with(|e| e.as_ref().and_then(|e| e.field("amount")));
    view! {
        <form class="payment-form refund-form" on:submit=submit novalidate>
            <h3>"Rembourser par carte"</h3>
            <p class="hint">
                {move || state.with(|i| format!(
                    "Le client a payé par carte en ligne : jusqu'à {} peuvent lui être rendus sur cette carte, par Stripe.                      Les frais du paiement en ligne vous sont rendus en proportion.",
                    Money::from_cents(i.card_refundable_cents)
                ))}
            </p>
            <div class="field" class:has-error=move || amount_error().is_some()>
                <label for="remboursement-carte-montant">"Montant à rembourser (€)"</label>
                <input id="remboursement-carte-montant" inputmode="decimal" aria-describedby="remboursement-carte-message"
                    prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                <p class="field-message" id="remboursement-carte-message" aria-live="polite">
                    <span class="field-error">{amount_error}</span>
                </p>
            </div>
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! {
                <p class="alert alert-error" role="alert">{e.to_string()}</p>
            })}
            <div class="form-buttons">
                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>"Rembourser par carte"</button>
            </div>
        </form>
    }
}

/// Money moved by hand on an invoice: received from the client, or given back to them once a
/// credit note left them owed money (a negative line in the livre des recettes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Movement {
    Payment,
    Refund,
}

impl Movement {
    /// What the amount field starts with: what is due, or what is owed back.
    fn prefill(self, i: &InvoiceView) -> String {
        let cents = match self {
            Movement::Payment => i.balance_cents,
            Movement::Refund => -i.balance_cents,
        };
        Money::from_cents(cents.max(0)).to_input()
    }
}

/// « Enregistrer un paiement » or « Enregistrer le remboursement »: amount, date and method.
#[component]
fn ByHandForm(state: RwSignal<InvoiceView>, today: String, movement: Movement) -> impl IntoView {
    let amount = RwSignal::new(state.with_untracked(|i| movement.prefill(i)));
    let date = RwSignal::new(today);
    let method = RwSignal::new(PaymentMethod::Transfer.code().to_string());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = state.with_untracked(|i| i.id);
        let (a, d, m) = (amount.get_untracked(), date.get_untracked(), method.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match movement {
                Movement::Payment => record_payment(id, a, d, m).await,
                Movement::Refund => record_refund(id, a, d, m).await,
            };
            match result {
                Ok(updated) => {
                    amount.set(movement.prefill(&updated));
                    state.set(updated);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let (id, title, date_label, button) = match movement {
        Movement::Payment => ("paiement", "Enregistrer un paiement", "Reçu le", "Enregistrer le paiement"),
        Movement::Refund => {
            ("remboursement", "Enregistrer le remboursement", "Remboursé le", "Enregistrer le remboursement")
        }
    };
    let field_error = move |f: &'static str| move || error.with(|e| e.as_ref().and_then(|e| e.field(f)));
    let (amount_id, date_id, method_id) =
        (format!("{id}-montant"), format!("{id}-date"), format!("{id}-moyen"));
    view! {
        <form class="payment-form" class:refund-form={movement == Movement::Refund} on:submit=submit novalidate>
            <h3>{title}</h3>
            {(movement == Movement::Refund).then(|| view! {
                <p class="hint">"Une fois l'argent rendu au client, notez-le ici : il apparaîtra en négatif dans le livre des recettes."</p>
            })}
            <div class="field-row">
                <div class="field" class:has-error=move || field_error("amount")().is_some()>
                    <label for=amount_id.clone()>"Montant (€)"</label>
                    <input id=amount_id inputmode="decimal" prop:value=move || amount.get()
                        on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <p class="field-message"><span class="field-error">{field_error("amount")}</span></p>
                </div>
                <div class="field" class:has-error=move || field_error("date")().is_some()>
                    <label for=date_id.clone()>{date_label}</label>
                    <input id=date_id type="date" prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))/>
                    <p class="field-message"><span class="field-error">{field_error("date")}</span></p>
                </div>
                <div class="field">
                    <label for=method_id.clone()>"Moyen"</label>
                    <select id=method_id on:change=move |ev| method.set(event_target_value(&ev))>
                        {[PaymentMethod::Transfer, PaymentMethod::Cheque, PaymentMethod::Cash, PaymentMethod::CardTerminal]
                            .into_iter()
                            .map(|m| view! { <option value=m.code() selected=move || method.with(|c| c == m.code())>{m.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! {
                <p class="alert alert-error" role="alert">{e.to_string()}</p>
            })}
            <div class="form-buttons">
                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>{button}</button>
            </div>
        </form>
    }
}
