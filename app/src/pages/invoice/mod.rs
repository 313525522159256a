//! One invoice: the editor while it is a draft (totals computed as you type by the same domain
//! code the server uses, clients added without leaving it), the frozen document once issued.

mod credit;
mod issued;
mod payments;
mod send;

use crate::components::form::{focus_first_error, focus_soon, ErrorBanner};
use crate::components::navigation::{address_id, go_to, show_address, ShownDocument};
use crate::components::resource::resource;
use crate::domain::{
    online_payment, InvoiceInput, InvoiceStatus, LineInput, OnlineStatus, OperationNature, PaymentMethod,
    ProviderMode, Totals, VatRate,
};
use crate::error::AppError;
use crate::functions::clients::{list_clients, ClientView};
use crate::functions::invoices::{
    delete_draft, get_invoice, invoice_editor_context, issue_invoice, next_invoice_number, save_draft,
    EditorContext, InvoiceView,
};
use crate::pages::clients::ClientForm;
use issued::IssuedInvoice;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/factures/nouvelle` and `/factures/:id`.
#[component]
pub fn InvoiceRoute() -> impl IntoView {
    match address_id() {
        Some(id) => view! { <Title text="Facture"/> <InvoicePage id/> }.into_any(),
        None => view! { <Title text="Nouvelle facture"/> <NewInvoicePage/> }.into_any(),
    }
}

/// What the editor needs: the business's settings for invoices and its clients.
async fn editor_data() -> Result<(EditorContext, Vec<ClientView>), AppError> {
    Ok((invoice_editor_context().await?, list_clients(String::new(), false).await?))
}

/// A new invoice: the editor alone, in a bundle of its own, as every invoice starts here. Once
/// issued, the invoice opens at its own address.
#[cfg_attr(any(feature = "ssr", feature = "bundle-new-invoice"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-new-invoice")), component)]
fn NewInvoicePage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let data = resource(|| (), |_| editor_data());
    let on_issued = Callback::new(|id: i64| go_to(&format!("/factures/{id}")));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement de l'éditeur…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok((context, clients)) => view! { <InvoiceEditor context clients existing=None on_issued/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An invoice: its editor while it is a draft, the issued document after.
#[cfg_attr(any(feature = "ssr", feature = "bundle-invoices"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-invoices")), component)]
fn InvoicePage(id: i64) -> impl IntoView {
    crate::components::island::count_hydrated();
    // Shown anew once the draft is issued: the page shows what it became.
    let shown = ShownDocument::new(Some(id));
    let data = resource(
        move || shown.key(),
        move |(shown_id, _)| async move {
            let (context, clients) = editor_data().await?;
            let invoice = get_invoice(shown_id.unwrap_or(id)).await?;
            Ok::<_, AppError>((context, clients, invoice))
        },
    );
    let on_issued = Callback::new(move |id: i64| shown.show(&format!("/factures/{id}"), id));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Chargement de la facture…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok((context, _, invoice)) if invoice.status != InvoiceStatus::Draft => {
                        view! { <IssuedInvoice invoice today=context.template.issue_date/> }.into_any()
                    }
                    Ok((context, clients, draft)) => {
                        view! { <InvoiceEditor context clients existing=Some(draft) on_issued/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn line_field(line: &LineInput, field: &str) -> String {
    match field {
        "quantity" => line.quantity.clone(),
        "unit" => line.unit.clone(),
        "unit_price" => line.unit_price.clone(),
        "vat_rate" => line.vat_rate.clone(),
        _ => line.discount.clone(),
    }
}

fn set_line_field(line: &mut LineInput, field: &str, value: String) {
    match field {
        "quantity" => line.quantity = value,
        "unit" => line.unit = value,
        "unit_price" => line.unit_price = value,
        "vat_rate" => line.vat_rate = value,
        _ => line.discount = value,
    }
}

#[component]
fn InvoiceEditor(
    context: EditorContext,
    clients: Vec<ClientView>,
    existing: Option<InvoiceView>,
    /// Once the draft is issued, with the invoice's id.
    on_issued: Callback<i64>,
) -> impl IntoView {
    let franchise = context.franchise;
    let online_status = context.online;
    let provider = context.provider;
    let min_online = context.min_online_payment;
    let fee_rate = crate::domain::online_payment::fee_rate_label(context.fee_bp);
    let is_new = existing.is_none();
    let draft_id = RwSignal::new(existing.as_ref().map(|i| i.id));
    let input = RwSignal::new(existing.map(|i| i.content).unwrap_or(context.template));
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let totals = Memo::new(move |_| input.with(|i| i.preview_totals(franchise)));
    let errors = Memo::new(move |_| input.with(|i| i.validate(franchise).err().unwrap_or_default()));
    // A field's error: live once issuing was tried, else as the server reported it (some
    // rules only the server knows, such as today's date).
    let err = move |field: &str| -> Option<String> {
        attempted
            .get()
            .then(|| errors.with(|e| e.get(field)))
            .flatten()
            .or_else(|| server_error.with(|s| s.as_ref().and_then(|e| e.field(field))))
    };
    let edit = move |f: Box<dyn FnOnce(&mut InvoiceInput)>| {
        input.update(|i| f(i));
        notice.set(None);
    };
    // « Enregistrer le brouillon »: kept as typed, even half-filled.
    let save_draft_click = move |_| {
        busy.set(true);
        server_error.set(None);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match save_draft(draft_id.get_untracked(), input.get_untracked()).await {
                Ok(saved) => {
                    draft_id.set(Some(saved.id));
                    notice.set(Some("Brouillon enregistré."));
                    if is_new {
                        show_address(&format!("/factures/{}", saved.id));
                    }
                }
                Err(e) => server_error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    // « Émettre la facture » asks first: what will be issued, under which number. An invoice
    // that does not read is not saved nor numbered; its first error gets the cursor.
    let confirming = RwSignal::new(false);
    let next_number = RwSignal::new(None::<String>);
    let show_errors = move |e: AppError| {
        attempted.set(true);
        server_error.set(Some(e));
        confirming.set(false);
        focus_first_error();
    };
    let ask_to_issue = move |_| {
        notice.set(None);
        server_error.set(None);
        if !errors.with_untracked(|e| e.is_empty()) {
            show_errors(AppError::Invalid(errors.get_untracked()));
            return;
        }
        next_number.set(None);
        confirming.set(true);
        focus_soon("#confirm-issue-title");
        let issue_date = input.with_untracked(|i| i.issue_date.clone());
        leptos::task::spawn_local(async move {
            if let Ok(number) = next_invoice_number(issue_date).await {
                next_number.set(Some(number));
            }
        });
    };
    let issue = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let created_now = draft_id.get_untracked().is_none();
            match save_draft(draft_id.get_untracked(), input.get_untracked()).await {
                Ok(saved) => match issue_invoice(saved.id).await {
                    Ok(invoice) => on_issued.run(invoice.id),
                    Err(e) => {
                        // Refused: a draft made only for this attempt goes, what is typed stays.
                        if created_now {
                            let _ = delete_draft(saved.id).await;
                        } else {
                            draft_id.set(Some(saved.id));
                        }
                        show_errors(e);
                    }
                },
                Err(e) => show_errors(e),
            }
            busy.set(false);
        });
    };
    let clients = RwSignal::new(clients);
    let summary = move || {
        input.with(|i| {
            let client = clients.with(|list| {
                i.client_id
                    .and_then(|id| list.iter().find(|c| c.id == id))
                    .map(|c| c.client.name.clone())
                    .unwrap_or_default()
            });
            (
                client,
                crate::pages::invoices::french_date(&i.due_date),
                PaymentMethod::labels(&i.payment_methods),
            )
        })
    };

    let deleting = RwSignal::new(false);
    let remove = move |_| {
        let Some(id) = draft_id.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match delete_draft(id).await {
                Ok(()) => go_to("/factures"),
                Err(e) => server_error.set(Some(e)),
            }
        });
    };

    let on_client =
        Callback::new(move |id: Option<i64>| edit(Box::new(move |i: &mut InvoiceInput| i.client_id = id)));
    let date_field = move |field: &'static str, label: &'static str| {
        let get = move || {
            input.with(|i| match field {
                "issue_date" => i.issue_date.clone(),
                "service_date" => i.service_date.clone(),
                "service_end" => i.service_end.clone(),
                _ => i.due_date.clone(),
            })
        };
        view! {
            <div class="field" class:has-error=move || err(field).is_some()>
                <label for=format!("champ-{field}")>{label}</label>
                <input type="date" id=format!("champ-{field}") value=get prop:value=get
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |i: &mut InvoiceInput| match field {
                            "issue_date" => i.issue_date = v,
                            "service_date" => i.service_date = v,
                            "service_end" => i.service_end = v,
                            _ => i.due_date = v,
                        }));
                    }/>
                <p class="field-message"><span class="field-error">{move || err(field)}</span></p>
            </div>
        }
    };

    let delivery_field = move |field: &'static str, label: &'static str, autocomplete: &'static str| {
        let get = move || {
            input.with(|i| match field {
                "delivery_line1" => i.delivery_line1.clone(),
                "delivery_postal_code" => i.delivery_postal_code.clone(),
                _ => i.delivery_city.clone(),
            })
        };
        let id = format!("champ-{field}");
        let message = format!("{id}-message");
        view! {
            <div class="field" class:has-error=move || err(field).is_some()>
                <label for=id.clone()>{label}</label>
                <input type="text" id=id autocomplete=format!("shipping {autocomplete}") prop:value=get
                    aria-invalid=move || err(field).is_some().to_string() aria-describedby=message.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |i: &mut InvoiceInput| match field {
                            "delivery_line1" => i.delivery_line1 = v,
                            "delivery_postal_code" => i.delivery_postal_code = v,
                            _ => i.delivery_city = v,
                        }));
                    }/>
                <p class="field-message" id=message><span class="field-error">{move || err(field)}</span></p>
            </div>
        }
    };

    let line_err = Callback::new(move |f: String| err(&f));

    view! {
        <div class="page-header">
            <h1>{move || if draft_id.get().is_some() { "Brouillon de facture" } else { "Nouvelle facture" }}</h1>
            <span class="status status-brouillon">"Brouillon"</span>
        </div>
        {move || input.with(|i| i.quote_id.map(|quote| view! {
            <p class="alert alert-info" data-testid="quote-reference">
                {format!("Facture du devis {} : les acomptes déjà facturés sont déduits en lignes négatives. ", i.quote_number)}
                <a href=format!("/devis/{quote}") class="link-blue">"Voir le devis"</a>
            </p>
        }))}
        <section class="card">
            <h2>"Client et dates"</h2>
            <ClientPicker clients selected=Signal::derive(move || input.with(|i| i.client_id))
                on_change=on_client error=Signal::derive(move || err("client_id"))/>
            <div class="field-row">
                {date_field("issue_date", "Date de la facture")}
                {date_field("due_date", "Échéance")}
            </div>
            <div class="field-row">
                {date_field("service_date", "Date de la vente ou début de la prestation")}
                {date_field("service_end", "Fin de la prestation (facultatif)")}
            </div>
            <div class="field">
                <label for="champ-operation">"Nature de l'opération"</label>
                <select id="champ-operation" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |i: &mut InvoiceInput| i.operation = v));
                }>
                    {OperationNature::ALL.into_iter().map(|o| view! {
                        <option value=o.code() selected=move || input.with(|i| i.operation == o.code())>{o.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            // Goods delivered elsewhere than the client's address: a mention of the 2026 reform.
            <Show when=move || input.with(|i| i.operation != OperationNature::Services.code() || i.has_delivery())>
                <fieldset class="delivery">
                    <legend>"Adresse de livraison (si différente de celle du client)"</legend>
                    {delivery_field("delivery_line1", "Adresse", "address-line1")}
                    <div class="field-row">
                        {delivery_field("delivery_postal_code", "Code postal", "postal-code")}
                        {delivery_field("delivery_city", "Ville", "address-level2")}
                    </div>
                </fieldset>
            </Show>
        </section>
        <LinesEditor input franchise err=line_err notice totals=Signal::derive(move || totals.get())/>
        <section class="card">
            <h2>"Moyens de paiement acceptés"</h2>
            <div class="methods">
                {PaymentMethod::ALL.into_iter().map(|m| {
                    let code = m.code();
                    let online = m == PaymentMethod::PaymentLink;
                    // The link is offered only while this server takes online payment and the
                    // business's account is active, from the minimum amount (the same rules
                    // as when the invoice is issued).
                    let refusal = online.then(|| online_payment::link_refusal(provider, online_status)).flatten();
                    let checked = move || input.with(|i| i.payment_methods.iter().any(|c| c == code));
                    let below = move || {
                        online.then(|| online_payment::below_minimum(totals.with(|t| t.ttc), min_online)).flatten()
                    };
                    // A ticked box stays free to untick.
                    let locked = move || refusal.is_some() || (below().is_some() && !checked());
                    view! {
                        <label class="checkbox" class:disabled=locked>
                            <input type="checkbox" disabled=locked
                                prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    edit(Box::new(move |i: &mut InvoiceInput| {
                                        i.payment_methods.retain(|c| c != code);
                                        if on { i.payment_methods.push(code.to_owned()); }
                                    }));
                                }/>
                            {m.label()}
                            {online.then(|| view! {
                                <span class="method-note">
                                    {format!(" — {} par paiement en ligne · ", fee_rate)}
                                    <a href="/aide/tarifs-paiement-en-ligne" class="link-blue">"Tarifs"</a>
                                    {match (provider, refusal) {
                                        (ProviderMode::Off, _) => Some(view! { " · " <span data-testid="link-lock">{ProviderMode::OFF_MESSAGE}</span> }.into_any()),
                                        (_, Some(_)) => Some(view! {
                                            " · " <a href="/parametres/paiements" class="link-blue">
                                                {if online_status == OnlineStatus::NotConfigured { "Activer le paiement en ligne" } else { online_status.label() }}
                                            </a>
                                        }.into_any()),
                                        _ => None,
                                    }}
                                </span>
                                {move || below().map(|why| view! { <span class="method-lock" data-testid="link-lock">{why}</span> })}
                            })}
                        </label>
                    }
                }).collect_view()}
            </div>
            {move || err("payment_methods").map(|e| view! { <p class="field-error">{e}</p> })}
            <div class="field">
                <label for="champ-notes">"Notes (facultatif)"</label>
                <textarea id="champ-notes" rows="3" prop:value=move || input.with(|i| i.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |i: &mut InvoiceInput| i.notes = v)); }>
                </textarea>
            </div>
        </section>
        <div class="form-actions">
            <ErrorBanner error=server_error/>
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
            <Show when=move || !confirming.get() && !deleting.get()>
                <div class="form-buttons">
                    <Show when=move || draft_id.get().is_some()>
                        <button type="button" class="btn btn-ghost" on:click=move |_| {
                            deleting.set(true);
                            focus_soon("#confirm-delete-title");
                        }>"Supprimer le brouillon"</button>
                    </Show>
                    <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=save_draft_click>
                        "Enregistrer le brouillon"
                    </button>
                    <button type="button" id="issue-button" class="btn btn-primary" disabled=move || busy.get() on:click=ask_to_issue>
                        "Émettre la facture"
                    </button>
                </div>
            </Show>
            <Show when=move || deleting.get()>
                <section class="card confirm" role="alertdialog" aria-labelledby="confirm-delete-title" data-testid="confirm-delete">
                    <h2 id="confirm-delete-title" tabindex="-1">"Supprimer ce brouillon ?"</h2>
                    <p>"Le brouillon et tout ce qu'il contient seront effacés. Aucun numéro n'est en jeu : il n'a pas été émis."</p>
                    <div class="form-buttons">
                        <button type="button" class="btn btn-secondary" on:click=move |_| {
                            deleting.set(false);
                            focus_soon("#issue-button");
                        }>"Garder le brouillon"</button>
                        <button type="button" class="btn btn-danger" on:click=remove>"Supprimer définitivement"</button>
                    </div>
                </section>
            </Show>
            <Show when=move || confirming.get()>
                <section class="card confirm" role="alertdialog" aria-labelledby="confirm-issue-title" data-testid="confirm-issue">
                    <h2 id="confirm-issue-title" tabindex="-1">
                        {move || match next_number.get() {
                            Some(n) => format!("Émettre la facture {n} ?"),
                            None => "Émettre la facture ?".to_string(),
                        }}
                    </h2>
                    {move || {
                        let (client, due, methods) = summary();
                        let ttc = totals.with(|t| t.ttc.to_string());
                        view! {
                            <dl class="figures">
                                <dt>"Client"</dt><dd>{client}</dd>
                                <dt>"Total TTC"</dt><dd data-testid="confirm-total">{ttc}</dd>
                                <dt>"Échéance"</dt><dd>{due}</dd>
                                <dt>"Paiement"</dt><dd>{methods}</dd>
                                <dt>"Numéro"</dt><dd data-testid="confirm-number">{next_number.get().unwrap_or_else(|| "…".into())}</dd>
                            </dl>
                        }
                    }}
                    <p class="hint">"Une facture émise ne se modifie plus : une erreur se corrige ensuite par un avoir."</p>
                    <div class="form-buttons">
                        <button type="button" class="btn btn-secondary" disabled=move || busy.get()
                            on:click=move |_| {
                                confirming.set(false);
                                focus_soon("#issue-button");
                            }>"Revenir à la facture"</button>
                        <button type="button" class="btn btn-primary" disabled=move || busy.get() on:click=issue>
                            {move || if busy.get() { "Émission…" } else { "Confirmer l'émission" }}
                        </button>
                    </div>
                </section>
            </Show>
        </div>
    }
    .into_any()
}

/// A document being edited whose lines the editor shares: an invoice or a quote.
pub trait HasLines: Clone + Send + Sync + 'static {
    fn lines(&self) -> &Vec<LineInput>;
    fn lines_mut(&mut self) -> &mut Vec<LineInput>;
}

impl HasLines for InvoiceInput {
    fn lines(&self) -> &Vec<LineInput> {
        &self.lines
    }
    fn lines_mut(&mut self) -> &mut Vec<LineInput> {
        &mut self.lines
    }
}

impl HasLines for crate::domain::QuoteInput {
    fn lines(&self) -> &Vec<LineInput> {
        &self.lines
    }
    fn lines_mut(&mut self) -> &mut Vec<LineInput> {
        &mut self.lines
    }
}

/// « Lignes »: each line with its total as typed, « + Ajouter une ligne », and the totals.
/// `err` gives a field's error (`lines.{index}.{field}`, or `lines`).
#[component]
pub(crate) fn LinesEditor<T: HasLines>(
    input: RwSignal<T>,
    franchise: bool,
    err: Callback<String, Option<String>>,
    notice: RwSignal<Option<&'static str>>,
    #[prop(into)] totals: Signal<Totals>,
) -> impl IntoView {
    let line_indices = move || (0..input.with(|i| i.lines().len())).collect::<Vec<usize>>();
    let line_row = move |idx: usize| view! { <LineRow idx input franchise err notice/> };
    view! {
        <section class="card">
            <h2>"Lignes"</h2>
            <div class="lines">
                <div class="line-main line-head" class:no-vat=franchise aria-hidden="true">
                    <span>"Description"</span>
                    <span>"Qté"</span>
                    <span>"Unité"</span>
                    <span>"Prix unit. HT"</span>
                    {(!franchise).then(|| view! { <span>"TVA"</span> })}
                    <span>"Remise %"</span>
                    <span class="amount">"Total HT"</span>
                    <span></span>
                </div>
                <For each=line_indices key=|idx| *idx children=line_row/>
            </div>
            {move || err.run("lines".into()).map(|e| view! { <p class="field-error">{e}</p> })}
            <button type="button" class="btn btn-secondary" on:click=move |_| {
                input.update(|i| i.lines_mut().push(LineInput::default()));
                notice.set(None);
            }>
                "+ Ajouter une ligne"
            </button>
            <TotalsBox totals franchise/>
        </section>
    }
}

#[component]
fn LineRow<T: HasLines>(
    idx: usize,
    input: RwSignal<T>,
    franchise: bool,
    err: Callback<String, Option<String>>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let edit = move |f: &dyn Fn(&mut T)| {
        input.update(|i| f(i));
        notice.set(None);
    };
    let cell = move |field: &'static str, label: &'static str, class: &'static str| {
        let get =
            move || input.with(|i| i.lines().get(idx).map(|l| line_field(l, field)).unwrap_or_default());
        view! {
            <input class=class aria-label=label placeholder=label value=get prop:value=get
                class:invalid=move || err.run(format!("lines.{idx}.{field}")).is_some()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit(&move |i: &mut T| {
                        if let Some(l) = i.lines_mut().get_mut(idx) { set_line_field(l, field, v.clone()); }
                    });
                }/>
        }
    };
    // The description wraps and grows with its text (up to 500 characters): a one-line input
    // would hide most of a long one. Enter adds no line break: a line is one paragraph.
    let description = {
        let read = move |i: &T| i.lines().get(idx).map(|l| l.description.clone()).unwrap_or_default();
        let get = move || input.with(read);
        let initial = input.with_untracked(read);
        view! {
            <textarea class="line-description" aria-label="Description" placeholder="Description" rows="1"
                prop:value=get
                class:invalid=move || err.run(format!("lines.{idx}.description")).is_some()
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); }
                on:input=move |ev| {
                    let v = event_target_value(&ev).replace(['\r', '\n'], " ");
                    edit(&move |i: &mut T| {
                        if let Some(l) = i.lines_mut().get_mut(idx) { l.description = v.clone(); }
                    });
                }>{initial}</textarea>
        }
    };
    let line_total = move || {
        input.with(|i| {
            i.lines()
                .get(idx)
                .and_then(|l| l.parse(franchise).ok())
                .map(|l| l.total_ht().to_string())
                .unwrap_or_else(|| "—".into())
        })
    };
    let messages = move || {
        ["description", "quantity", "unit", "unit_price", "vat_rate", "discount"]
            .into_iter()
            .filter_map(|f| err.run(format!("lines.{idx}.{f}")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let count = move || input.with(|i| i.lines().len());
    view! {
        <div class="line">
            <div class="line-main" class:no-vat=franchise>
                {description}
                {cell("quantity", "Quantité", "line-qty")}
                {cell("unit", "Unité", "line-unit")}
                {cell("unit_price", "Prix unitaire HT (€)", "line-price")}
                {(!franchise).then(|| view! {
                    <select class="line-vat" aria-label="TVA"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            edit(&move |i: &mut T| if let Some(l) = i.lines_mut().get_mut(idx) { l.vat_rate = v.clone(); });
                        }>
                        {VatRate::ALL.into_iter().map(|r| view! {
                            <option value=r.to_api()
                                selected=move || input.with(|i| i.lines().get(idx).and_then(|l| VatRate::parse(&l.vat_rate).ok()) == Some(r))>
                                {r.label()}
                            </option>
                        }).collect_view()}
                    </select>
                })}
                {cell("discount", "Remise %", "line-discount")}
                <span class="line-total amount" aria-label="Total HT de la ligne">{line_total}</span>
                <span class="line-actions">
                    <button type="button" class="btn btn-ghost" aria-label="Monter la ligne" disabled=move || idx == 0
                        on:click=move |_| edit(&move |i: &mut T| if idx > 0 && idx < i.lines().len() { i.lines_mut().swap(idx, idx - 1); })>"↑"</button>
                    <button type="button" class="btn btn-ghost" aria-label="Descendre la ligne" disabled=move || { idx + 1 >= count() }
                        on:click=move |_| edit(&move |i: &mut T| if idx + 1 < i.lines().len() { i.lines_mut().swap(idx, idx + 1); })>"↓"</button>
                    <button type="button" class="btn btn-ghost" aria-label="Supprimer la ligne"
                        on:click=move |_| edit(&move |i: &mut T| if idx < i.lines().len() { i.lines_mut().remove(idx); })>"✕"</button>
                </span>
            </div>
            <p class="field-error line-errors">{messages}</p>
        </div>
    }
    .into_any()
}

/// « Client »: the business's clients, and « + Nouveau client » to add one without leaving the
/// editor (the new one is then chosen).
#[component]
pub(crate) fn ClientPicker(
    /// The business's clients; one added here joins them.
    clients: RwSignal<Vec<ClientView>>,
    #[prop(into)] selected: Signal<Option<i64>>,
    on_change: Callback<Option<i64>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let adding = RwSignal::new(false);
    let on_added = Callback::new(move |saved: Option<ClientView>| {
        adding.set(false);
        if let Some(c) = saved {
            let id = c.id;
            clients.update(|list| list.push(c));
            on_change.run(Some(id));
        }
    });
    let options = move || {
        clients.with(|list| {
            list.iter()
                .map(|c| {
                    let id = c.id;
                    view! {
                        <option value=id.to_string() selected=move || selected.get() == Some(id)>
                            {c.client.name.clone()}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for="champ-client_id">"Client"</label>
            <select id="champ-client_id" on:change=move |ev| on_change.run(event_target_value(&ev).parse::<i64>().ok())>
                <option value="" selected=move || selected.get().is_none()>"Choisir un client…"</option>
                {options}
            </select>
            <p class="field-message">
                {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
            </p>
            <Show when=move || !adding.get()>
                <button type="button" class="btn btn-ghost new-client" on:click=move |_| adding.set(true)>
                    "+ Nouveau client"
                </button>
            </Show>
        </div>
        <Show when=move || adding.get()>
            <ClientForm existing=None on_done=on_added/>
        </Show>
    }
}

#[component]
pub(crate) fn TotalsBox(#[prop(into)] totals: Signal<Totals>, franchise: bool) -> impl IntoView {
    view! {
        <dl class="totals">
            <dt>"Total HT"</dt>
            <dd class="total-ht">{move || totals.with(|t| t.ht.to_string())}</dd>
            {move || totals.with(|t| t.vat.iter().map(|v| view! {
                <dt>{format!("TVA {} sur {}", v.rate.label(), v.base)}</dt>
                <dd>{v.vat.to_string()}</dd>
            }).collect_view())}
            {(!franchise).then(|| view! { <dt>"Total TVA"</dt><dd class="total-tax">{move || totals.with(|t| t.tax.to_string())}</dd> })}
            <dt class="grand">"Total TTC"</dt>
            <dd class="grand total-ttc">{move || totals.with(|t| t.ttc.to_string())}</dd>
        </dl>
        {franchise.then(|| view! { <p class="franchise-mention">{crate::domain::VatRegime::FRANCHISE_MENTION}</p> })}
    }
}
