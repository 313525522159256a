//! Quotes: drafts, sending (the number and the frozen content), new versions, and the
//! acceptance link the client opens.

use super::invoices::today;
use super::pay_link::Link;
use crate::domain::{FieldErrors, QuoteInput, QuoteStatus, VatRegime};
use crate::error::AppError;
use crate::ports::{
    BusinessId, QuoteAnswer, QuoteId, QuoteRecord, SendQuoteRefusal, SendQuoteRequest, StoreError,
};
use crate::state::AppState;

/// The most a list returns at once.
pub const PAGE_LIMIT: i64 = 200;

fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound("Ce devis n'existe pas.".into()),
        other => other.into(),
    }
}

/// What the editor starts from: today's date, valid for 30 days.
pub fn template(state: &AppState) -> QuoteInput {
    QuoteInput::new_on(today(state))
}

pub async fn get(state: &AppState, business_id: BusinessId, id: QuoteId) -> Result<QuoteRecord, AppError> {
    state.store.quote(business_id, id).await.map_err(not_found)
}

/// Whether the quote is under the VAT franchise: its seller's regime once sent, the business's
/// for a draft.
pub async fn franchise(
    state: &AppState,
    business_id: BusinessId,
    quote: &QuoteRecord,
) -> Result<bool, AppError> {
    match &quote.seller {
        Some(seller) => Ok(seller.is_franchise()),
        None => super::invoices::franchise(state, business_id).await,
    }
}

/// The business's quotes, newest first.
pub async fn list(
    state: &AppState,
    business_id: BusinessId,
    limit: i64,
    offset: i64,
) -> Result<Vec<QuoteRecord>, AppError> {
    Ok(state.store.quotes(business_id, limit.clamp(1, PAGE_LIMIT), offset.max(0)).await?)
}

/// Saves a draft as typed (creating it when `id` is absent). Only its client must exist.
pub async fn save_draft(
    state: &AppState,
    business_id: BusinessId,
    id: Option<QuoteId>,
    input: &QuoteInput,
) -> Result<QuoteRecord, AppError> {
    super::invoices::refuse_oversized_draft(input, input.lines.len())?;
    let client_name = super::clients::name_of(state, business_id, input.client_id).await?;
    let id = match id {
        Some(id) => {
            if !state
                .store
                .update_quote_draft(business_id, id, input, &client_name, state.now())
                .await
                .map_err(not_found)?
            {
                return Err(frozen());
            }
            id
        }
        None => state.store.create_quote(business_id, input, &client_name, None, state.now()).await?,
    };
    get(state, business_id, id).await
}

/// Saves a draft that must already be complete and valid (the REST API's: an integration
/// hears at once what is wrong).
pub async fn save_valid_draft(
    state: &AppState,
    business_id: BusinessId,
    id: Option<QuoteId>,
    input: &QuoteInput,
) -> Result<QuoteRecord, AppError> {
    if let Some(id) = id {
        if get(state, business_id, id).await?.status != QuoteStatus::Draft {
            return Err(frozen());
        }
    }
    input.validate(super::invoices::franchise(state, business_id).await?)?;
    save_draft(state, business_id, id, input).await
}

fn frozen() -> AppError {
    AppError::Refused("Un devis envoyé ne se modifie plus : faites-en une nouvelle version.".into())
}

pub async fn delete_draft(state: &AppState, business_id: BusinessId, id: QuoteId) -> Result<(), AppError> {
    if state.store.delete_quote_draft(business_id, id).await.map_err(not_found)? {
        Ok(())
    } else {
        Err(AppError::Refused(
            "Seul un brouillon peut être supprimé : un devis envoyé reste dans l'historique.".into(),
        ))
    }
}

/// The quote's timeline, oldest first.
pub async fn history(
    state: &AppState,
    business_id: BusinessId,
    id: QuoteId,
) -> Result<Vec<crate::ports::QuoteHistoryEntry>, AppError> {
    get(state, business_id, id).await?;
    Ok(state.store.quote_history(business_id, id).await?)
}

/// « Nouvelle version »: a draft copying a sent quote, dated today, that replaces it once sent.
pub async fn new_version(
    state: &AppState,
    business_id: BusinessId,
    id: QuoteId,
) -> Result<QuoteRecord, AppError> {
    let old = get(state, business_id, id).await?;
    match old.status {
        QuoteStatus::Draft => {
            return Err(AppError::Refused(
                "Ce devis est encore un brouillon : modifiez-le directement.".into(),
            ))
        }
        QuoteStatus::Accepted | QuoteStatus::Invoiced => {
            return Err(AppError::Refused("Ce devis a été accepté : il ne se remplace plus.".into()))
        }
        _ if old.replaced_by.is_some() => {
            return Err(AppError::Refused(
                "Ce devis a déjà été remplacé : partez de sa version la plus récente.".into(),
            ))
        }
        _ => {}
    }
    let today = today(state);
    let content = QuoteInput {
        date: today.to_string(),
        valid_until: crate::domain::quote::default_valid_until(today).to_string(),
        ..old.content.clone()
    };
    let new =
        state.store.create_quote(business_id, &content, &old.client_name, Some(id), state.now()).await?;
    get(state, business_id, new).await
}

/// Sends a draft: checks it whole, numbers it `D-{year}-NNNN` and freezes it with the seller's
/// and the client's details and its acceptance link.
pub async fn send(state: &AppState, business_id: BusinessId, id: QuoteId) -> Result<QuoteRecord, AppError> {
    let draft = get(state, business_id, id).await?;
    if draft.status != QuoteStatus::Draft {
        return Err(AppError::Refused("Ce devis est déjà envoyé.".into()));
    }
    let business = state.store.business(business_id).await?;
    let Ok(seller) = business.profile.validate() else {
        return Err(AppError::Refused(
            "Complétez le profil de votre entreprise (Paramètres › Entreprise) avant d'envoyer un devis."
                .into(),
        ));
    };
    let valid = draft.content.validate(seller.vat == VatRegime::Franchise)?;
    if valid.date > today(state) {
        let mut errors = FieldErrors::default();
        errors.push("date", "La date du devis ne peut pas être dans le futur.");
        return Err(errors.into());
    }
    let client = super::clients::billable(state, business_id, valid.client_id).await?;
    let (date, valid_until) = (valid.date.to_string(), valid.valid_until.to_string());
    let (token_salt, token_hash) = Link::Quote.new_salt_and_hash(&state.settings.secret_key);
    let request = SendQuoteRequest {
        content: &draft.content,
        year: valid.date.year(),
        date: &date,
        valid_until: &valid_until,
        totals: [valid.totals.ht, valid.totals.tax, valid.totals.ttc],
        deposit: valid.deposit_amount,
        seller: &seller.to_input(),
        client: &client,
        token_salt: &token_salt,
        token_hash: &token_hash,
        logo_file: business.logo_file.as_deref(),
    };
    match state.store.send_quote(business_id, id, &request, state.now()).await? {
        Ok(number) => {
            tracing::info!(business_id, quote_id = id, %number, "quote sent");
            state.publish(business_id, id, crate::ports::LiveKind::QuoteChanged, 0).await;
            get(state, business_id, id).await
        }
        Err(SendQuoteRefusal::NotDraft) => Err(AppError::Refused("Ce devis est déjà envoyé.".into())),
        Err(SendQuoteRefusal::ReplacedAnswered) => Err(AppError::Refused(
            "Le client a répondu au devis que cette version devait remplacer : sa réponse compte, cette version n'est pas envoyée."
                .into(),
        )),
    }
}

/// The link the client opens to read and answer the quote, once sent.
pub fn link(state: &AppState, quote: &QuoteRecord) -> Option<String> {
    quote.token_salt.as_deref().map(|salt| Link::Quote.url(&state.settings, salt))
}

/// The quote a link opens. Unknown, malformed or withdrawn links all read the same.
pub async fn by_token(state: &AppState, token: &str) -> Result<(BusinessId, QuoteRecord), AppError> {
    let gone = || AppError::NotFound("Ce devis n'existe pas ou n'est plus disponible.".into());
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(gone());
    }
    let hash = super::session_cookie::hash_token(token);
    let (business_id, id) = state.store.quote_by_token(&hash).await?.ok_or_else(gone)?;
    let quote = state.store.quote(business_id, id).await.map_err(|_| gone())?;
    Ok((business_id, quote))
}

/// The client opened the quote: « envoyé » becomes « consulté » (once; later visits change
/// nothing). Returns the quote as it now stands.
pub async fn viewed(
    state: &AppState,
    business_id: BusinessId,
    quote: QuoteRecord,
) -> Result<QuoteRecord, AppError> {
    if quote.status != QuoteStatus::Sent || quote.replaced_by.is_some() {
        return Ok(quote);
    }
    let to = QuoteStatus::Viewed;
    if state.store.change_quote_status(business_id, quote.id, quote.status, to, None, state.now()).await? {
        tracing::info!(business_id, quote_id = quote.id, "quote viewed");
        state.publish(business_id, quote.id, crate::ports::LiveKind::QuoteChanged, 0).await;
    }
    get(state, business_id, quote.id).await
}

/// What the client sent from the acceptance page, with where it came from.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub accept: bool,
    /// The full name typed to accept.
    pub full_name: String,
    /// « Bon pour accord » ticked.
    pub agreed: bool,
    /// Why the client refuses (optional).
    pub reason: String,
    pub address: String,
    pub browser: String,
}

/// Records the client's answer to the quote a link opens: acceptance needs the full name and
/// « Bon pour accord »; an expired, replaced or already answered quote is refused with the
/// reason. The proof keeps who, when, from where and the SHA-256 of the PDF the client was shown.
pub async fn answer(state: &AppState, token: &str, answer: &Answer) -> Result<QuoteRecord, AppError> {
    use crate::domain::quote::may_answer;
    let (business_id, quote) = by_token(state, token).await?;
    let today = today(state);
    let valid_until = crate::domain::Date::parse(&quote.valid_until).unwrap_or(today);
    let answerable = |q: &QuoteRecord| may_answer(q.status, valid_until, q.replaced_by.is_some(), today);
    answerable(&quote).map_err(AppError::Refused)?;
    let mut errors = FieldErrors::default();
    let full_name = answer.full_name.trim();
    if answer.accept {
        match full_name.chars().count() {
            0..=1 => errors.push("full_name", "Indiquez vos prénom et nom pour accepter le devis."),
            121.. => errors.push("full_name", "120 caractères au maximum."),
            _ => {}
        }
        if !answer.agreed {
            errors.push("accept", "Cochez « Bon pour accord » pour accepter le devis.");
        }
    }
    if answer.reason.chars().count() > 1_000 {
        errors.push("reason", "1 000 caractères au maximum.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (_, shown) = super::quote_pdf::render(state, business_id, &quote, false).await?;
    let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let proof = QuoteAnswer {
        accepted: answer.accept,
        full_name: if answer.accept { full_name.to_owned() } else { String::new() },
        reason: clip(answer.reason.trim(), 1_000),
        at: state.now(),
        address: clip(&answer.address, 100),
        browser: clip(&answer.browser, 300),
        pdf_sha256: super::session_cookie::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(&shown)),
    };
    let to = if answer.accept { QuoteStatus::Accepted } else { QuoteStatus::Refused };
    if !state
        .store
        .change_quote_status(business_id, quote.id, quote.status, to, Some(&proof), state.now())
        .await?
    {
        // Answered or replaced meanwhile: the reason, as it stands now.
        let now = get(state, business_id, quote.id).await?;
        let why =
            answerable(&now).err().unwrap_or_else(|| "Ce devis vient de changer : rechargez la page.".into());
        return Err(AppError::Refused(why));
    }
    tracing::info!(business_id, quote_id = quote.id, accepted = answer.accept, "quote answered");
    let answered = get(state, business_id, quote.id).await?;
    // The answer stands whatever follows: a deposit invoice or an e-mail that fails is logged
    // and the entrepreneur bills or writes by hand.
    let deposit = if answer.accept {
        super::quote_invoices::issue_deposit(state, business_id, &answered).await.unwrap_or_else(|e| {
            tracing::error!(business_id, quote_id = quote.id, error = %e, "deposit invoice not issued");
            None
        })
    } else {
        None
    };
    // Issued now (to be paid otherwise than by card), the deposit invoice is e-mailed; paid by
    // card, it goes out with the payment's receipt.
    if let Some(invoice) = deposit.as_ref().filter(|i| i.status != crate::domain::InvoiceStatus::Draft) {
        let request = super::email::SendRequest::default();
        if let Err(e) = super::email::send_invoice(state, business_id, invoice.id, &request).await {
            tracing::warn!(business_id, invoice_id = invoice.id, error = %e, "deposit invoice not e-mailed");
        }
    }
    if let Err(e) = super::quote_emails::answered(state, business_id, &answered, deposit.as_ref()).await {
        tracing::error!(business_id, quote_id = quote.id, error = %e, "answer e-mails not queued");
    }
    state.publish(business_id, quote.id, crate::ports::LiveKind::QuoteChanged, 0).await;
    Ok(answered)
}
