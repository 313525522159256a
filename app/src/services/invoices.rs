//! Invoices: drafts, and issuing them under the next number.

use crate::domain::{
    CreditNoteInput, Creditable, Date, DocumentKind, FieldErrors, InvoiceEvent, InvoiceInput, InvoiceStatus,
    Money, PaymentMethod, VatRegime,
};
use crate::error::AppError;
use crate::ports::{
    BusinessId, CreditNoteRequest, HistoryEntry, InvoiceId, InvoicePage, InvoiceQuery, InvoiceRecord,
    IssueRefusal, IssueRequest, StoreError,
};
use crate::state::AppState;

/// A draft's stored content is bounded, so a runaway client cannot fill the database.
const MAX_DRAFT_BYTES: usize = 512 * 1024;

/// Refuses a draft (an invoice's or a quote's, as typed) too large to store: more than
/// [`MAX_DRAFT_BYTES`] of content or [`InvoiceInput::MAX_LINES`] lines.
pub(super) fn refuse_oversized_draft(input: &impl serde::Serialize, lines: usize) -> Result<(), AppError> {
    let size = serde_json::to_vec(input).map(|v| v.len()).unwrap_or(usize::MAX);
    if size > MAX_DRAFT_BYTES || lines > InvoiceInput::MAX_LINES {
        return Err(AppError::Refused(
            "Ce brouillon est trop volumineux : 500 lignes au maximum, descriptions de 2 000 caractères."
                .into(),
        ));
    }
    Ok(())
}

fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound("Cette facture n'existe pas.".into()),
        other => other.into(),
    }
}

/// Whether the business's invoices carry no VAT (franchise en base).
pub async fn franchise(state: &AppState, business_id: BusinessId) -> Result<bool, AppError> {
    Ok(state.store.business(business_id).await?.profile.is_franchise())
}

/// What the editor starts from: today's date and the business's usual terms.
pub async fn template(state: &AppState, business_id: BusinessId) -> Result<InvoiceInput, AppError> {
    let business = state.store.business(business_id).await?;
    let profile = business.profile.validate().ok();
    let mut input = InvoiceInput::new_for(profile.as_ref(), today(state));
    // The business's usual methods; the payment link only while online payment is active.
    let active = business.online.status == crate::domain::OnlineStatus::Active;
    let methods: Vec<String> = business
        .default_payment_methods
        .into_iter()
        .filter(|m| active || m != PaymentMethod::PaymentLink.code())
        .collect();
    if !methods.is_empty() {
        input.payment_methods = methods;
    }
    Ok(input)
}

/// Saves a draft as typed (creating it when `id` is absent). Only its client must exist.
pub async fn save_draft(
    state: &AppState,
    business_id: BusinessId,
    id: Option<InvoiceId>,
    input: &InvoiceInput,
) -> Result<InvoiceRecord, AppError> {
    refuse_oversized_draft(input, input.lines.len())?;
    let client_name = super::clients::name_of(state, business_id, input.client_id).await?;
    let t = input.preview_totals(franchise(state, business_id).await?);
    let id = match id {
        Some(id) => id,
        None => state.store.create_draft(business_id, input, state.now()).await?,
    };
    state
        .store
        .update_draft(business_id, id, input, &client_name, [t.ht, t.tax, t.ttc], state.now())
        .await
        .map_err(|e| match e {
        StoreError::NotFound => {
            AppError::NotFound("Ce brouillon n'existe pas, ou il a déjà été émis.".into())
        }
        other => other.into(),
    })?;
    get(state, business_id, id).await
}

/// Saves a draft that must already be complete and valid (the REST API's drafts: an
/// integration sends finished invoices, and hears at once what is wrong with them).
pub async fn save_valid_draft(
    state: &AppState,
    business_id: BusinessId,
    id: Option<InvoiceId>,
    input: &InvoiceInput,
) -> Result<InvoiceRecord, AppError> {
    if let Some(id) = id {
        if !get(state, business_id, id).await?.status.is_editable() {
            return Err(AppError::Refused(
                "Une facture émise ne se modifie plus : corrigez-la par un avoir.".into(),
            ));
        }
    }
    input.validate(franchise(state, business_id).await?)?;
    save_draft(state, business_id, id, input).await
}

pub async fn delete_draft(state: &AppState, business_id: BusinessId, id: InvoiceId) -> Result<(), AppError> {
    get(state, business_id, id).await?;
    state.store.delete_draft(business_id, id).await.map_err(|e| match e {
        StoreError::NotFound => AppError::Refused(
            "Seul un brouillon peut être supprimé ; une facture émise se corrige par un avoir.".into(),
        ),
        other => other.into(),
    })
}

pub async fn get(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<InvoiceRecord, AppError> {
    state.store.invoice(business_id, id).await.map_err(not_found)
}

/// The most a list returns at once.
pub const PAGE_LIMIT: i64 = 200;

pub async fn list(
    state: &AppState,
    business_id: BusinessId,
    mut query: InvoiceQuery,
) -> Result<InvoicePage, AppError> {
    query.limit = query.limit.clamp(1, PAGE_LIMIT);
    query.offset = query.offset.max(0);
    query.today = today(state).to_string();
    if query.search.chars().count() > 100 {
        query.search = query.search.chars().take(100).collect();
    }
    Ok(state.store.list_invoices(business_id, &query).await?)
}

/// Today in France: days, months and years close at midnight in Paris.
pub fn today(state: &AppState) -> Date {
    crate::domain::period::paris_date(state.now())
}

/// The link the client pays from, once the invoice is issued.
pub fn pay_url(state: &AppState, invoice: &InvoiceRecord) -> Option<String> {
    match (invoice.kind, &invoice.pay_token_salt) {
        (DocumentKind::Invoice, Some(salt)) => Some(super::pay_link::Link::Pay.url(&state.settings, salt)),
        _ => None,
    }
}

/// The invoice's timeline, oldest first.
pub async fn history(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<Vec<HistoryEntry>, AppError> {
    Ok(state.store.history(business_id, id).await?)
}

/// The credit notes issued against an invoice.
pub async fn credit_notes(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<Vec<InvoiceRecord>, AppError> {
    Ok(state.store.credit_notes(business_id, id).await?)
}

/// Issues a credit note (« avoir ») for all or part of an issued invoice, dated today, under the
/// next `A-` number. Returns the credit note.
pub async fn credit(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    input: &CreditNoteInput,
) -> Result<InvoiceRecord, AppError> {
    for _ in 0..CHANGE_ATTEMPTS {
        let invoice = get(state, business_id, id).await?;
        if invoice.kind == DocumentKind::CreditNote {
            return Err(AppError::Refused("Un avoir ne se corrige pas par un autre avoir.".into()));
        }
        if invoice.status.after(InvoiceEvent::Credit).is_none() {
            return Err(AppError::Refused(match invoice.status {
                InvoiceStatus::Draft => {
                    "Un brouillon se modifie ou se supprime : il n'a pas besoin d'avoir.".into()
                }
                _ => "Cette facture est déjà entièrement annulée par avoir.".into(),
            }));
        }
        let franchise = invoice.seller.as_ref().is_some_and(|s| s.is_franchise());
        let creditable =
            Creditable { total_ttc: invoice.total_ttc, already_credited: invoice.amount_credited };
        let valid = input.validate(&invoice.content.lines, franchise, creditable)?;
        let today = today(state);
        let content = InvoiceInput {
            client_id: invoice.content.client_id,
            issue_date: today.to_string(),
            service_date: invoice.content.service_date.clone(),
            service_end: invoice.content.service_end.clone(),
            due_date: today.to_string(),
            operation: invoice.content.operation.clone(),
            lines: valid.lines,
            payment_methods: Vec::new(),
            notes: valid.reason,
            ..InvoiceInput::default()
        };
        let change = invoice.settlement().credit(valid.totals.ttc).ok_or_else(|| {
            AppError::Refused("Cette facture est déjà entièrement annulée par avoir.".into())
        })?;
        let request = CreditNoteRequest {
            content: &content,
            year: today.year(),
            issue_date: &content.issue_date,
            totals: [valid.totals.ht, valid.totals.tax, valid.totals.ttc],
            change,
        };
        match state.store.issue_credit_note(business_id, id, &request, state.now()).await? {
            Some(note_id) => {
                tracing::info!(business_id, invoice_id = id, credit_note_id = note_id, "credit note issued");
                state.publish(business_id, id, crate::ports::LiveKind::InvoiceChanged, 0).await;
                super::checkout::expire_open_sessions(state, business_id, id, None).await;
                return get(state, business_id, note_id).await;
            }
            // Paid or credited in between: checked again against the invoice as it is now.
            None => continue,
        }
    }
    Err(changed_meanwhile("L'avoir"))
}

/// Checks the draft completely, then numbers and freezes it with snapshots of the seller and
/// the client as they are now.
pub async fn issue(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<InvoiceRecord, AppError> {
    issue_prepaid(state, business_id, id, Money::ZERO).await
}

/// The number the next invoice dated `issue_date` (today when unreadable) will take.
pub async fn next_number(
    state: &AppState,
    business_id: BusinessId,
    issue_date: &str,
) -> Result<String, AppError> {
    let year = Date::parse(issue_date).unwrap_or_else(|_| today(state)).year();
    let prefix = state.store.business(business_id).await?.profile.invoice_prefix;
    let last = state.store.last_invoice_sequence(business_id, year).await?;
    let sequence = u32::try_from(last + 1).unwrap_or(u32::MAX);
    Ok(crate::domain::invoice_status::document_number(&prefix, i32::try_from(year).unwrap_or(0), sequence))
}

/// [`issue`], for a draft whose `prepaid` amount was paid before it is numbered (a deposit
/// paid by card, recorded right after): the issued document says so for ever.
pub(super) async fn issue_prepaid(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    prepaid: Money,
) -> Result<InvoiceRecord, AppError> {
    let draft = get(state, business_id, id).await?;
    if draft.status.after(InvoiceEvent::Issue).is_none() {
        return Err(AppError::Refused("Cette facture est déjà émise : corrigez-la par un avoir.".into()));
    }
    let business = state.store.business(business_id).await?;
    let Ok(seller) = business.profile.validate() else {
        return Err(AppError::Refused(
            "Complétez le profil de votre entreprise (Paramètres › Entreprise) avant d'émettre une facture."
                .into(),
        ));
    };
    let valid = draft.content.validate(seller.vat == VatRegime::Franchise)?;
    // Numbers follow dates: one invoice dated ahead would block every invoice until that day.
    if valid.issue_date > today(state) {
        let mut errors = FieldErrors::default();
        errors.push("issue_date", "La date d'émission ne peut pas être dans le futur.");
        return Err(errors.into());
    }
    if valid.payment_methods.contains(&PaymentMethod::PaymentLink) {
        use crate::domain::online_payment::{below_minimum, link_refusal};
        let refusal = link_refusal(state.payments.mode(), business.online.status).map(str::to_owned);
        if let Some(why) =
            refusal.or_else(|| below_minimum(valid.totals.ttc, state.settings.min_online_payment))
        {
            let mut errors = FieldErrors::default();
            errors.push("payment_methods", why);
            return Err(errors.into());
        }
    }
    let client = super::clients::billable(state, business_id, valid.client_id).await?;
    let seller_input = seller.to_input();
    // Refused now rather than rejected by the client's platform once issued.
    let refused = crate::domain::facturx::refusals(&seller_input, &client, &valid.payment_methods);
    if !refused.is_empty() {
        return Err(refused.into());
    }
    let (issue_date, due_date) = (valid.issue_date.to_string(), valid.due_date.to_string());
    let (pay_token_salt, pay_token_hash) =
        super::pay_link::Link::Pay.new_salt_and_hash(&state.settings.secret_key);
    let content = InvoiceInput { prepaid_cents: prepaid.cents(), transfer_qr: true, ..draft.content.clone() };
    let request = IssueRequest {
        content: &content,
        number_prefix: &seller.invoice_prefix,
        year: valid.issue_date.year(),
        issue_date: &issue_date,
        due_date: &due_date,
        totals: [valid.totals.ht, valid.totals.tax, valid.totals.ttc],
        seller: &seller_input,
        client: &client,
        pay_token_salt: &pay_token_salt,
        pay_token_hash: &pay_token_hash,
        logo_file: business.logo_file.as_deref(),
    };
    match state.store.issue_invoice(business_id, id, &request, state.now()).await? {
        Ok(number) => {
            tracing::info!(business_id, invoice_id = id, %number, "invoice issued");
            state.publish(business_id, id, crate::ports::LiveKind::InvoiceChanged, 0).await;
            get(state, business_id, id).await
        }
        Err(IssueRefusal::NotDraft) => {
            Err(AppError::Refused("Cette facture est déjà émise : corrigez-la par un avoir.".into()))
        }
        Err(IssueRefusal::OutOfOrder) => {
            let mut errors = FieldErrors::default();
            errors.push(
                "issue_date",
                "Une facture plus récente a déjà été émise : la numérotation doit suivre l'ordre des dates.",
            );
            Err(errors.into())
        }
    }
}

/// The payments received on an invoice, oldest first.
pub async fn payments(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<Vec<crate::ports::PaymentRecord>, AppError> {
    Ok(state.store.payments(business_id, id).await?)
}

/// Records money received by hand (cash, cheque, transfer, card terminal). Partial payments add
/// up; more than what is still due is refused.
pub async fn record_payment(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    amount: &str,
    date: &str,
    method: &str,
) -> Result<InvoiceRecord, AppError> {
    let (typed_amount, typed_date, typed_method) = (amount, date, method);
    let mut recorded = None;
    // Read, check, write if unchanged; another change in between (a card payment, a credit
    // note) means reading again, so the check is always against the invoice as it is.
    for _ in 0..CHANGE_ATTEMPTS {
        let invoice = get(state, business_id, id).await?;
        // A part payment is allowed exactly where a full one is (the state machine says where).
        if invoice.kind != DocumentKind::Invoice || invoice.status.after(InvoiceEvent::PartPayment).is_none()
        {
            return Err(AppError::Refused("Cette facture n'attend pas de paiement.".into()));
        }
        let (amount, date, method) = by_hand(
            typed_amount,
            typed_date,
            typed_method,
            dates_allowed(state, &invoice),
            invoice.balance(),
            |due| format!("Le montant dépasse le reste à payer ({due})."),
        )?;
        let change = invoice.settlement().pay(amount).ok_or_else(not_awaiting)?;
        let payment = crate::ports::PaymentRecord::on(&invoice, amount, method.code(), date.to_string());
        if state.store.record_payment(business_id, id, &payment, &change, state.now()).await? {
            recorded = Some(amount);
            break;
        }
    }
    let Some(amount) = recorded else { return Err(changed_meanwhile("Le paiement")) };
    tracing::info!(business_id, invoice_id = id, amount_cents = amount.cents(), "payment recorded");
    state.publish(business_id, id, crate::ports::LiveKind::PaymentRecorded, amount.cents()).await;
    super::checkout::expire_open_sessions(state, business_id, id, None).await;
    get(state, business_id, id).await
}

/// How many times a change is computed again when the invoice changed in between.
pub(crate) const CHANGE_ATTEMPTS: usize = 5;

fn not_awaiting() -> AppError {
    AppError::Refused("Cette facture n'attend pas de paiement.".into())
}

/// The refusal when the invoice kept changing under a change (« Le paiement », « L'avoir »…).
pub(crate) fn changed_meanwhile(what: &str) -> AppError {
    AppError::Refused(format!(
        "{what} n'a pas été enregistré : la facture a changé entre-temps. Rechargez la page."
    ))
}

/// When money can have moved on an invoice: from its issue date to today.
fn dates_allowed(state: &AppState, invoice: &InvoiceRecord) -> (Date, Date) {
    let today = today(state);
    (Date::parse(&invoice.issue_date).unwrap_or(today), today)
}

/// Money moved by hand, as typed: a positive amount up to `limit`, a date within `(from, to)`
/// (not before the invoice, not in the future: the livre des recettes records what happened),
/// and a method other than the pay link (which only Stripe records).
fn by_hand(
    amount: &str,
    date: &str,
    method: &str,
    (from, to): (Date, Date),
    limit: Money,
    too_much: impl FnOnce(Money) -> String,
) -> Result<(Money, Date, PaymentMethod), AppError> {
    let mut errors = FieldErrors::default();
    let amount = errors.check(
        "amount",
        Money::parse_euros(amount).and_then(|m| {
            if m.cents() <= 0 {
                Err("Le montant doit être positif.".to_string())
            } else if m > limit {
                Err(too_much(limit))
            } else {
                Ok(m)
            }
        }),
    );
    let date = errors.check(
        "date",
        Date::parse(date).and_then(|d| {
            if d > to {
                Err("La date ne peut pas être dans le futur.".to_string())
            } else if d < from {
                Err(format!("La date ne peut pas précéder celle de la facture ({}).", from.french()))
            } else {
                Ok(d)
            }
        }),
    );
    let method = match PaymentMethod::from_code(method) {
        Some(m) if m != PaymentMethod::PaymentLink => Some(m),
        _ => {
            errors.push("method", "Choisissez espèces, chèque, virement ou carte (TPE).");
            None
        }
    };
    match (amount, date, method) {
        (Some(amount), Some(date), Some(method)) => Ok((amount, date, method)),
        _ => Err(errors.into()),
    }
}

/// Records money given back to the client once a credit note left the invoice over-paid. The
/// refund appears as a negative line in the livre des recettes.
pub async fn record_refund(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    amount: &str,
    date: &str,
    method: &str,
) -> Result<InvoiceRecord, AppError> {
    let (typed_amount, typed_date, typed_method) = (amount, date, method);
    let mut recorded = None;
    for _ in 0..CHANGE_ATTEMPTS {
        let invoice = get(state, business_id, id).await?;
        let owed = -invoice.balance();
        if invoice.kind != DocumentKind::Invoice || owed.cents() <= 0 {
            return Err(AppError::Refused(
                "Aucun remboursement n'est dû au client sur cette facture.".into(),
            ));
        }
        let (amount, date, method) =
            by_hand(typed_amount, typed_date, typed_method, dates_allowed(state, &invoice), owed, |owed| {
                format!("Le montant dépasse ce qui est dû au client ({owed}).")
            })?;
        let change = invoice.settlement().refund(amount).ok_or_else(|| {
            AppError::Refused("Aucun remboursement n'est dû au client sur cette facture.".into())
        })?;
        let mut refund = crate::ports::RefundRecord::on(&invoice, amount, method.code(), date.to_string());
        refund.credit_note_id = state.store.credit_notes(business_id, id).await?.last().map(|n| n.id);
        if state.store.record_refund(business_id, id, &refund, &change, state.now()).await? {
            recorded = Some(amount);
            break;
        }
    }
    let Some(amount) = recorded else { return Err(changed_meanwhile("Le remboursement")) };
    tracing::info!(business_id, invoice_id = id, amount_cents = amount.cents(), "refund recorded");
    state.publish(business_id, id, crate::ports::LiveKind::RefundRecorded, -amount.cents()).await;
    get(state, business_id, id).await
}
