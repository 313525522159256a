//! One quote: the editor while it is a draft (the invoice editor's lines and totals, computed
//! as you type by the domain code the server uses), then the sent quote with where it stands,
//! its link, its answer, the invoices it led to and its timeline, updated live.

use crate::components::form::ErrorBanner;
use crate::components::live::{listen, LiveVersion};
use crate::components::navigation::{address_id, go_to, show_address, ShownDocument};
use crate::components::resource::resource;
use crate::domain::date::french_date;
use crate::domain::{Money, OperationNature, QuoteInput, QuoteStatus};
use crate::error::AppError;
use crate::functions::clients::{list_clients, ClientView};
use crate::functions::quotes::{
    delete_quote, get_quote, invoice_quote, new_quote_version, quote_editor_context, save_quote, send_quote,
    QuoteEditorData, QuoteView,
};
use crate::pages::invoice::{ClientPicker, LinesEditor, TotalsBox};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/devis/nouveau` and `/devis/:id`.
#[component]
pub fn QuoteRoute() -> impl IntoView {
    view! { <QuotePage id=address_id()/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-quotes"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-quotes")), component)]
fn QuotePage(id: Option<i64>) -> impl IntoView {
    crate::components::island::count_hydrated();
    // Shown anew once the draft is sent (a new one then gets its id): the page shows it sent.
    let shown = ShownDocument::new(id);
    let live = LiveVersion::new();
    listen(live);
    let data = resource(
        move || (shown.key(), live.version.get()),
        |((id, _), _)| async move {
            let context = quote_editor_context().await?;
            let clients = list_clients(String::new(), false).await?;
            let quote = match id {
                Some(id) => Some(get_quote(id).await?),
                None => None,
            };
            Ok::<_, AppError>((context, clients, quote))
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Chargement du devis…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok((_, _, Some(quote))) if quote.status != QuoteStatus::Draft => {
                        view! { <SentQuote quote/> }.into_any()
                    }
                    Ok((context, clients, existing)) => view! { <QuoteEditor context clients existing shown/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Which deposit the quote asks for, as the editor's radio buttons hold it.
fn deposit_kind(input: &QuoteInput) -> &'static str {
    if !input.deposit_percent.trim().is_empty() {
        "percent"
    } else if !input.deposit_amount.trim().is_empty() {
        "amount"
    } else {
        "none"
    }
}

#[component]
fn QuoteEditor(
    context: QuoteEditorData,
    clients: Vec<ClientView>,
    existing: Option<QuoteView>,
    shown: ShownDocument,
) -> impl IntoView {
    let franchise = context.franchise;
    let is_new = existing.is_none();
    let draft_id = RwSignal::new(existing.as_ref().map(|q| q.id));
    let input = RwSignal::new(existing.map(|q| q.content).unwrap_or(context.template));
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    // The kind chosen stays while its field is being emptied to retype it.
    let deposit_choice = RwSignal::new(input.with_untracked(deposit_kind));
    let totals = Memo::new(move |_| input.with(|i| i.preview_totals(franchise)));
    let errors = Memo::new(move |_| input.with(|i| i.validate(franchise).err().unwrap_or_default()));
    let deposit = Memo::new(move |_| {
        input.with(|i| {
            crate::domain::Deposit::parse(&i.deposit_percent, &i.deposit_amount)
                .map(|d| d.amount(totals.with(|t| t.ttc)))
                .unwrap_or(Money::ZERO)
        })
    });
    let err = move |field: &str| -> Option<String> {
        if attempted.get() {
            errors.with(|e| e.get(field))
        } else {
            server_error.with(|s| s.as_ref().and_then(|e| e.field(field)))
        }
    };
    let edit = move |f: Box<dyn FnOnce(&mut QuoteInput)>| {
        input.update(|i| f(i));
        notice.set(None);
    };
    let save = move |then_send: bool| {
        busy.set(true);
        server_error.set(None);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match save_quote(draft_id.get_untracked(), input.get_untracked()).await {
                Ok(saved) => {
                    draft_id.set(Some(saved.id));
                    let valid = errors.with_untracked(|e| e.is_empty());
                    if then_send && !valid {
                        attempted.set(true);
                        server_error.set(Some(AppError::Invalid(errors.get_untracked())));
                    } else if then_send {
                        match send_quote(saved.id).await {
                            Ok(sent) => shown.show(&format!("/devis/{}", sent.id), sent.id),
                            Err(e) => {
                                attempted.set(true);
                                server_error.set(Some(e));
                            }
                        }
                    } else {
                        notice.set(Some("Brouillon enregistré."));
                        if is_new {
                            show_address(&format!("/devis/{}", saved.id));
                        }
                    }
                }
                Err(e) => server_error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let remove = move |_| {
        let Some(id) = draft_id.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match delete_quote(id).await {
                Ok(()) => go_to("/devis"),
                Err(e) => server_error.set(Some(e)),
            }
        });
    };

    let on_client =
        Callback::new(move |id: Option<i64>| edit(Box::new(move |i: &mut QuoteInput| i.client_id = id)));
    let text_field = move |field: &'static str, label: &'static str, kind: &'static str| {
        let get = move || {
            input.with(|i| match field {
                "date" => i.date.clone(),
                "valid_until" => i.valid_until.clone(),
                "deposit_percent" => i.deposit_percent.clone(),
                _ => i.deposit_amount.clone(),
            })
        };
        let error_id = format!("erreur-{field}");
        view! {
            <div class="field" class:has-error=move || err(field).is_some()>
                <label for=format!("champ-{field}")>{label}</label>
                <input type=kind id=format!("champ-{field}") value=get prop:value=get
                    inputmode=(kind == "text").then_some("decimal")
                    aria-describedby=error_id.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |i: &mut QuoteInput| match field {
                            "date" => i.date = v,
                            "valid_until" => i.valid_until = v,
                            "deposit_percent" => i.deposit_percent = v,
                            _ => i.deposit_amount = v,
                        }));
                    }/>
                <p class="field-message" id=error_id aria-live="polite"><span class="field-error">{move || err(field)}</span></p>
            </div>
        }
    };
    let text_area = move |field: &'static str, label: &'static str| {
        let get =
            move || input.with(|i| if field == "notes" { i.notes.clone() } else { i.conditions.clone() });
        view! {
            <div class="field" class:has-error=move || err(field).is_some()>
                <label for=format!("champ-{field}")>{label}</label>
                <textarea id=format!("champ-{field}") rows="3" prop:value=get
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |i: &mut QuoteInput| if field == "notes" { i.notes = v } else { i.conditions = v }));
                    }>
                </textarea>
                <p class="field-message"><span class="field-error">{move || err(field)}</span></p>
            </div>
        }
    };
    let choose_deposit = move |kind: &'static str| {
        deposit_choice.set(kind);
        edit(Box::new(move |i: &mut QuoteInput| {
            if kind != "percent" {
                i.deposit_percent.clear();
            }
            if kind != "amount" {
                i.deposit_amount.clear();
            }
        }));
    };
    let line_err = Callback::new(move |f: String| err(&f));

    view! {
        <Title text="Devis"/>
        <div class="page-header">
            <h1>{move || if draft_id.get().is_some() { "Brouillon de devis" } else { "Nouveau devis" }}</h1>
            <span class="status status-draft">"Brouillon"</span>
        </div>
        <section class="card">
            <h2>"Client et validité"</h2>
            <ClientPicker clients=RwSignal::new(clients) selected=Signal::derive(move || input.with(|i| i.client_id))
                on_change=on_client error=Signal::derive(move || err("client_id"))/>
            <div class="field-row">
                {text_field("date", "Date du devis", "date")}
                {text_field("valid_until", "Valable jusqu'au", "date")}
            </div>
            <div class="field">
                <label for="champ-operation">"Nature de l'opération"</label>
                <select id="champ-operation" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |i: &mut QuoteInput| i.operation = v));
                }>
                    {OperationNature::ALL.into_iter().map(|o| view! {
                        <option value=o.code() selected=move || input.with(|i| i.operation == o.code())>{o.label()}</option>
                    }).collect_view()}
                </select>
            </div>
        </section>
        <LinesEditor input franchise err=line_err notice totals=Signal::derive(move || totals.get())/>
        <section class="card">
            <h2>"Acompte à l'acceptation"</h2>
            <fieldset class="methods">
                <legend class="visually-hidden">"Acompte"</legend>
                {[("none", "Pas d'acompte"), ("percent", "Un pourcentage du total"), ("amount", "Un montant")]
                    .into_iter()
                    .map(|(kind, label)| view! {
                        <label class="checkbox">
                            <input type="radio" name="deposit" value=kind
                                prop:checked=move || deposit_choice.get() == kind
                                on:change=move |_| choose_deposit(kind)/>
                            {label}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <Show when=move || deposit_choice.get() == "percent">
                {text_field("deposit_percent", "Acompte (%)", "text")}
            </Show>
            <Show when=move || deposit_choice.get() == "amount">
                {text_field("deposit_amount", "Acompte TTC (€)", "text")}
            </Show>
            <p class="muted" data-testid="deposit-amount">
                {move || {
                    let d = deposit.get();
                    if d.cents() > 0 {
                        format!("Le client règlera {d} à l'acceptation, par carte si le paiement en ligne est actif ; la facture d'acompte est émise pour vous.")
                    } else {
                        "Aucun acompte demandé.".to_owned()
                    }
                }}
            </p>
        </section>
        <section class="card">
            <h2>"Notes et conditions"</h2>
            {text_area("notes", "Notes (facultatif)")}
            {text_area("conditions", "Conditions (délais, ce qui n'est pas compris…), imprimées au-dessus de « Bon pour accord »")}
        </section>
        <div class="form-actions">
            <ErrorBanner error=server_error/>
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
            <div class="form-buttons">
                <Show when=move || draft_id.get().is_some()>
                    <button type="button" class="btn btn-ghost" on:click=remove>"Supprimer le brouillon"</button>
                </Show>
                <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=move |_| save(false)>
                    "Enregistrer le brouillon"
                </button>
                <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=move |_| save(true)>
                    {move || if busy.get() { "Un instant…" } else { "Envoyer le devis" }}
                </button>
            </div>
            <p class="muted">"« Envoyer le devis » lui attribue son numéro et l'envoie au client par e-mail, avec le PDF et le lien pour l'accepter en ligne."</p>
        </div>
    }
    .into_any()
}

#[component]
fn SentQuote(quote: QuoteView) -> impl IntoView {
    let id = quote.id;
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let new_version = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match new_quote_version(id).await {
                Ok(draft) => go_to(&format!("/devis/{draft}")),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let bill = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match invoice_quote(id).await {
                Ok(invoice) => go_to(&format!("/factures/{invoice}")),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let resend = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match send_quote(id).await {
                Ok(_) => notice.set(Some("Devis renvoyé par e-mail.".into())),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let number = quote.number.clone().unwrap_or_default();
    let status = quote.status;
    let waiting = status.awaits_answer() && quote.replaced_by.is_none();
    let replaceable = matches!(
        status,
        QuoteStatus::Sent | QuoteStatus::Viewed | QuoteStatus::Refused | QuoteStatus::Expired
    ) && quote.replaced_by.is_none();
    let totals = {
        let content = quote.content.clone();
        let franchise = quote.franchise;
        Signal::derive(move || content.preview_totals(franchise))
    };
    let deposit = Money::from_cents(quote.deposit_cents);
    view! {
        <Title text=format!("Devis {number}")/>
        <div class="page-header">
            <h1>{format!("Devis {number}")}</h1>
            <span class=format!("status status-{}", status.code()) data-testid="quote-status">{status.label()}</span>
        </div>
        {quote.replaced_by.map(|newer| view! {
            <p class="alert alert-info">"Ce devis a été remplacé par une nouvelle version : "
                <a href=format!("/devis/{newer}")>"voir la nouvelle version"</a>"."</p>
        })}
        {quote.replaces.map(|older| view! {
            <p class="muted">"Nouvelle version d'un "<a href=format!("/devis/{older}")>"devis précédent"</a>"."</p>
        })}
        <section class="card">
            <dl class="facts">
                <dt>"Client"</dt><dd>{quote.client_name.clone()}</dd>
                <dt>"Date"</dt><dd>{french_date(&quote.content.date)}</dd>
                <dt>"Valable jusqu'au"</dt><dd>{french_date(&quote.content.valid_until)}</dd>
                <dt>"Total TTC"</dt><dd class="amount">{Money::from_cents(quote.total_ttc_cents).to_string()}</dd>
                {(deposit.cents() > 0).then(|| view! { <dt>"Acompte à l'acceptation"</dt><dd class="amount">{deposit.to_string()}</dd> })}
            </dl>
            <TotalsBox totals franchise=quote.franchise/>
            <p><a href=format!("/quotes/{id}/pdf") target="_blank" rel="noopener" class="link-blue">
                {if matches!(status, QuoteStatus::Accepted | QuoteStatus::Invoiced) { "Devis accepté (PDF, avec sa page de preuve)" } else { "Voir le PDF" }}
            </a></p>
            {quote.link.clone().filter(|_| waiting).map(|link| view! {
                <div class="field">
                    <label for="quote-link">"Lien du client pour lire et accepter le devis"</label>
                    <input id="quote-link" readonly value=link.clone()/>
                </div>
            })}
        </section>
        {quote.answer.clone().map(|a| view! {
            <section class="card" data-testid="quote-answer">
                <h2>"Réponse du client"</h2>
                {if a.accepted {
                    view! { <p>{format!("Accepté le {} par {} (« Bon pour accord »).", a.date, a.full_name)}</p> }.into_any()
                } else if a.reason.is_empty() {
                    view! { <p>{format!("Refusé le {}, sans motif indiqué.", a.date)}</p> }.into_any()
                } else {
                    view! { <p>{format!("Refusé le {} : « {} »", a.date, a.reason)}</p> }.into_any()
                }}
            </section>
        })}
        {(!quote.invoices.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Factures"</h2>
                <ul class="plain-list" data-testid="quote-invoices">
                    {quote.invoices.clone().into_iter().map(|i| view! {
                        <li>
                            <a href=format!("/factures/{}", i.id)>{i.label}</a>
                            {format!(" — {} — {}", Money::from_cents(i.total_ttc_cents), i.status_label)}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card">
            <h2>"Historique"</h2>
            <ul class="timeline">
                {quote.history.iter().map(|(date, label)| view! { <li><span class="muted">{date.clone()}</span>" "{label.clone()}</li> }).collect_view()}
            </ul>
        </section>
        <div class="form-actions">
            <ErrorBanner error/>
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
            <div class="form-buttons">
                {waiting.then(|| view! {
                    <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=resend>"Renvoyer par e-mail"</button>
                })}
                {replaceable.then(|| view! {
                    <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=new_version>"Nouvelle version"</button>
                })}
                {(status == QuoteStatus::Accepted).then(|| view! {
                    <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=bill>"Facturer"</button>
                })}
            </div>
        </div>
    }
    .into_any()
}
