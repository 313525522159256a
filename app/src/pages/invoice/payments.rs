//! Payments received on an issued invoice, and « Enregistrer un paiement ».

use crate::domain::{Money, PaymentMethod};
use crate::error::AppError;
use crate::functions::invoices::{record_payment, record_refund, InvoiceView};
use crate::pages::invoices::french_date;
use leptos::prelude::*;

/// Payments received, what is still due, and « Enregistrer un paiement ».
#[component]
pub fn Payments(state: RwSignal<InvoiceView>, today: String) -> impl IntoView {
    let refund_today = today.clone();
    let due = move || state.with(|i| Money::from_cents(i.balance_cents.max(0)));
    let awaits = move || state.with(|i| i.status.awaits_payment());
    let amount = RwSignal::new(due().to_input());
    let date = RwSignal::new(today);
    let method = RwSignal::new(PaymentMethod::Transfer.code().to_string());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = state.with_untracked(|i| i.id);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match record_payment(id, amount.get_untracked(), date.get_untracked(), method.get_untracked())
                .await
            {
                Ok(updated) => {
                    amount.set(Money::from_cents(updated.balance_cents.max(0)).to_input());
                    state.set(updated);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
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
                <div class="table-card">
                    <table>
                        <thead><tr><th>"Date"</th><th>"Moyen"</th><th class="amount">"Montant"</th></tr></thead>
                        <tbody>{payment_rows}</tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || state.with(|i| !i.refunds.is_empty())>
                <div class="table-card">
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
            <Show when={move || state.with(|i| i.balance_cents < 0)}>
                <RefundForm state today=refund_today.clone()/>
            </Show>
            <Show when=awaits>
                <form class="payment-form" on:submit=submit novalidate>
                    <h3>"Enregistrer un paiement"</h3>
                    <ByHandFields id="paiement" date_label="Reçu le" amount date method error/>
                    {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! {
                        <p class="alert alert-error" role="alert">{e.to_string()}</p>
                    })}
                    <div class="form-buttons">
                        <button type="submit" class="btn btn-primary" disabled=move || busy.get()>"Enregistrer le paiement"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
    .into_any()
}

/// « Enregistrer le remboursement », once a credit note left the client owed money. The refund
/// is written in the livre des recettes as a negative line.
#[component]
fn RefundForm(state: RwSignal<InvoiceView>, today: String) -> impl IntoView {
    let owed = move || state.with(|i| Money::from_cents((-i.balance_cents).max(0)));
    let amount = RwSignal::new(owed().to_input());
    let date = RwSignal::new(today);
    let method = RwSignal::new(PaymentMethod::Transfer.code().to_string());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = state.with_untracked(|i| i.id);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match record_refund(id, amount.get_untracked(), date.get_untracked(), method.get_untracked())
                .await
            {
                Ok(updated) => {
                    state.set(updated);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="payment-form refund-form" on:submit=submit novalidate>
            <h3>"Enregistrer le remboursement"</h3>
            <p class="hint">"Une fois l'argent rendu au client, notez-le ici : il apparaîtra en négatif dans le livre des recettes."</p>
            <ByHandFields id="remboursement" date_label="Remboursé le" amount date method error/>
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! {
                <p class="alert alert-error" role="alert">{e.to_string()}</p>
            })}
            <div class="form-buttons">
                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>"Enregistrer le remboursement"</button>
            </div>
        </form>
    }
}

/// Amount, date and method of money moved by hand, with each field's error.
#[component]
fn ByHandFields(
    /// Prefix of the inputs' ids.
    id: &'static str,
    date_label: &'static str,
    amount: RwSignal<String>,
    date: RwSignal<String>,
    method: RwSignal<String>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let field_error = move |f: &'static str| move || error.with(|e| e.as_ref().and_then(|e| e.field(f)));
    let (amount_id, date_id, method_id) =
        (format!("{id}-montant"), format!("{id}-date"), format!("{id}-moyen"));
    view! {
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
    }
}
