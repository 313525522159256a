//! « Annuler / corriger »: a credit note for all of an invoice, or for lines typed here
//! (pre-filled with the invoice's own), totalled live by the same code the server runs.

use crate::components::form::ErrorBanner;
use crate::components::navigation::go_to;
use crate::domain::{CreditNoteInput, Creditable, LineInput, Money, VatRate};
use crate::error::AppError;
use crate::functions::invoices::{create_credit_note, InvoiceView};
use leptos::prelude::*;

#[component]
pub fn CreditNoteForm(invoice: InvoiceView, on_cancel: Callback<()>) -> impl IntoView {
    let id = invoice.id;
    let franchise = invoice.franchise;
    let invoice_lines = invoice.content.lines.clone();
    let creditable = Creditable {
        total_ttc: Money::from_cents(invoice.total_ttc_cents),
        already_credited: Money::from_cents(invoice.amount_credited_cents),
    };
    let can_cancel_all = invoice.amount_credited_cents == 0;
    let input = RwSignal::new(CreditNoteInput {
        full: can_cancel_all,
        lines: invoice.content.lines.clone(),
        reason: String::new(),
    });
    let checked = {
        let invoice_lines = invoice_lines.clone();
        Memo::new(move |_| input.with(|c| c.validate(&invoice_lines, franchise, creditable)))
    };
    let amount =
        move || checked.with(|c| c.as_ref().map(|v| v.totals.ttc.to_string()).unwrap_or_else(|_| "—".into()));
    let live_error = move || {
        checked.with(|c| {
            c.as_ref().err().map(|e| e.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "))
        })
    };
    let server_error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checked.with_untracked(|c| c.is_err()) {
            return;
        }
        busy.set(true);
        server_error.set(None);
        leptos::task::spawn_local(async move {
            match create_credit_note(id, input.get_untracked()).await {
                Ok(note) => go_to(&format!("/factures/{}", note.id)),
                Err(e) => server_error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let edit_line = move |idx: usize, f: Box<dyn Fn(&mut LineInput)>| {
        input.update(|c| {
            if let Some(l) = c.lines.get_mut(idx) {
                f(l)
            }
        })
    };
    let line_row = move |idx: usize| {
        let value = move |get: fn(&LineInput) -> String| {
            move || input.with(|c| c.lines.get(idx).map(get).unwrap_or_default())
        };
        view! {
            <div class="credit-line">
                <input class="line-description" aria-label="Description" placeholder="Description"
                    prop:value=value(|l| l.description.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit_line(idx, Box::new(move |l| l.description = v.clone())) }/>
                <input class="line-qty" aria-label="Quantité" inputmode="decimal"
                    prop:value=value(|l| l.quantity.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit_line(idx, Box::new(move |l| l.quantity = v.clone())) }/>
                <input class="line-price" aria-label="Prix unitaire HT (€)" inputmode="decimal"
                    prop:value=value(|l| l.unit_price.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit_line(idx, Box::new(move |l| l.unit_price = v.clone())) }/>
                {(!franchise).then(|| view! {
                    <select class="line-vat" aria-label="TVA"
                        on:change=move |ev| { let v = event_target_value(&ev); edit_line(idx, Box::new(move |l| l.vat_rate = v.clone())) }>
                        {VatRate::ALL.into_iter().map(|r| view! {
                            <option value=r.to_api()
                                selected=move || input.with(|c| c.lines.get(idx).and_then(|l| VatRate::parse(&l.vat_rate).ok()) == Some(r))>
                                {r.label()}
                            </option>
                        }).collect_view()}
                    </select>
                })}
                <button type="button" class="btn btn-ghost" aria-label="Retirer la ligne"
                    on:click=move |_| input.update(|c| if idx < c.lines.len() { c.lines.remove(idx); })>"✕"</button>
            </div>
        }
    };
    let indices = move || (0..input.with(|c| c.lines.len())).collect::<Vec<_>>();

    view! {
        <form class="credit-form" on:submit=submit novalidate>
            <fieldset class="choice-group">
                <legend class="sr-only">"Type d'avoir"</legend>
                <label class="choice" class:disabled=!can_cancel_all>
                    <input type="radio" name="credit-kind" disabled=!can_cancel_all
                        prop:checked=move || input.with(|c| c.full)
                        on:change=move |_| input.update(|c| c.full = true)/>
                    <span>
                        <strong>"Annuler toute la facture"</strong>
                        <small>{if can_cancel_all { "L'avoir reprend toutes les lignes ; la facture passe « annulée »." } else { "Impossible : un avoir partiel existe déjà." }}</small>
                    </span>
                </label>
                <label class="choice">
                    <input type="radio" name="credit-kind" prop:checked=move || input.with(|c| !c.full)
                        on:change=move |_| input.update(|c| c.full = false)/>
                    <span><strong>"Avoir partiel"</strong><small>"Indiquez ce qui est remboursé ou annulé."</small></span>
                </label>
            </fieldset>
            <Show when=move || input.with(|c| !c.full)>
                <div class="credit-lines">
                    <For each=indices key=|idx| *idx children=line_row/>
                    <button type="button" class="btn btn-secondary"
                        on:click=move |_| input.update(|c| c.lines.push(LineInput { vat_rate: if franchise { "0".into() } else { "20".into() }, ..LineInput::default() }))>
                        "+ Ajouter une ligne"
                    </button>
                </div>
            </Show>
            <div class="field">
                <label for="avoir-motif">"Motif (imprimé sur l'avoir, facultatif)"</label>
                <textarea id="avoir-motif" rows="2" prop:value=move || input.with(|c| c.reason.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|c| c.reason = v); }></textarea>
            </div>
            <p class="credit-amount">
                "Montant de l'avoir : " <strong class="credit-total">{amount}</strong>
                {format!(" (reste à créditer : {})", creditable.remaining())}
            </p>
            {move || live_error().map(|e| view! { <p class="field-error">{e}</p> })}
            <ErrorBanner error=server_error/>
            <div class="form-buttons">
                <button type="button" class="btn btn-ghost" on:click=move |_| on_cancel.run(())>"Fermer"</button>
                <button type="submit" class="btn btn-primary" disabled=move || busy.get() || checked.with(|c| c.is_err())>
                    {move || if busy.get() { "Émission…" } else { "Émettre l'avoir" }}
                </button>
            </div>
        </form>
    }
    .into_any()
}
