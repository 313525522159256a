//! What the chapters share: fixed instants, businesses with a complete profile, clients, and
//! invoices drafted, issued, credited and paid the way the services do it; e-mails, webhook
//! events, Checkout attempts; the drains that leave a chapter's workers only its own work; and
//! the assertions for another business's reads and writes.

use app::domain::{
    BusinessProfileInput, Client, ClientInput, DocumentKind, Email, HistoryEvent, InvoiceInput, LineInput,
    Money,
};
use app::ports::{
    AttemptStatus, BusinessId, CheckoutAttempt, ClientId, CreditNoteRequest, InvoiceId, InvoiceRecord,
    IssueRefusal, IssueRequest, OnlinePaymentOutcome, OnlineSettlement, OutboxRecord, OutgoingEmail,
    PasswordHash, PaymentRecord, RefundRecord, SessionUser, Store, StoreError, StripeEvent,
};
use std::fmt::Debug;

/// 2026-05-28 (UTC), the story's first instant. `now` is always one of these fixed instants.
pub(super) const T0: i64 = 1_780_000_000;
/// The logo every contract business has when it issues.
pub(super) const ISSUED_LOGO: &str = "c0ffee.png";

/// An id no row has.
pub(super) const MISSING: i64 = 987_654_321;

/// The first instant of chapter `chapter`: chapters never share a second, and each starts after
/// everything the earlier ones queued has fallen due.
pub(super) fn start_of(chapter: i64) -> i64 {
    T0 + chapter * 1_000_000
}

pub(super) fn cents(cents: i64) -> Money {
    Money::from_cents(cents)
}

pub(super) fn email(address: &str) -> Email {
    Email::parse(address).unwrap_or_else(|e| panic!("{address}: {e}"))
}

/// Signs `address` up with the new-business defaults.
pub(super) async fn account(store: &dyn Store, address: &str, now: i64) -> SessionUser {
    let hash = PasswordHash(format!("$argon2id$v=19$m=19456,t=2,p=1$c2VsLWRlLXRlc3Q${address}"));
    store
        .create_account(&email(address), &hash, &BusinessProfileInput::new_business_defaults(), now)
        .await
        .unwrap_or_else(|e| panic!("create_account({address}): {e:?}"))
}

/// A complete profile as the settings form sends it; VAT-registered, so invoices carry 20 %,
/// and paying VAT on debits (a column of its own, round-tripped by the contract).
pub(super) fn profile_input(name: &str) -> BusinessProfileInput {
    BusinessProfileInput {
        name: name.into(),
        address_line1: "12 rue des Lilas".into(),
        address_line2: String::new(),
        postal_code: "75011".into(),
        city: "Paris".into(),
        email: "contact@exemple.fr".into(),
        phone: String::new(),
        siret: "732 829 320 00074".into(),
        activity: "services_bic".into(),
        vat_status: "vat".into(),
        vat_number: "FR44732829320".into(),
        iban: "FR76 3000 6000 0112 3456 7890 189".into(),
        bic: "BNPAFRPP".into(),
        payment_terms_days: "30".into(),
        late_penalty_rate: "10".into(),
        invoice_prefix: "F-".into(),
        brand_color: "#0f766e".into(),
        vat_on_debits: "true".into(),
    }
}

/// A business whose profile is complete, as issuing needs it.
#[derive(Debug, Clone)]
pub(super) struct Biz {
    pub(super) id: BusinessId,
    /// The seller snapshot issuing freezes.
    pub(super) seller: BusinessProfileInput,
    pub(super) prefix: String,
}

/// Signs up `label@contract.reglo.test` and completes its profile.
pub(super) async fn business(store: &dyn Store, label: &str, now: i64) -> Biz {
    let user = account(store, &format!("{label}@contract.reglo.test"), now).await;
    let profile = profile_input(&format!("{label} conseil")).validate().expect("a valid profile");
    store.save_profile(user.business_id, &profile, now).await.expect("save_profile");
    Biz { id: user.business_id, seller: profile.to_input(), prefix: profile.invoice_prefix.clone() }
}

/// A private person, living in Lyon.
pub(super) fn person(name: &str) -> Client {
    ClientInput {
        kind: "person".into(),
        name: name.into(),
        address_line1: "3 place du Marché".into(),
        postal_code: "69001".into(),
        city: "Lyon".into(),
        ..ClientInput::default()
    }
    .validate()
    .unwrap_or_else(|e| panic!("client {name}: {e:?}"))
}

/// A company (SIREN 732 829 320) with a billing address.
pub(super) fn company(name: &str, billing_email: &str) -> Client {
    ClientInput {
        kind: "business".into(),
        name: name.into(),
        siren: "732 829 320".into(),
        email: billing_email.into(),
        address_line1: "1 rue de la Paix".into(),
        postal_code: "75002".into(),
        city: "Paris".into(),
        ..ClientInput::default()
    }
    .validate()
    .unwrap_or_else(|e| panic!("client {name}: {e:?}"))
}

/// A client in a business's book, with the snapshot issuing takes of it.
#[derive(Debug, Clone)]
pub(super) struct Buyer {
    pub(super) id: ClientId,
    pub(super) snapshot: ClientInput,
}

pub(super) async fn buyer(store: &dyn Store, business_id: BusinessId, client: &Client, now: i64) -> Buyer {
    let id = store.create_client(business_id, client, now).await.expect("create_client");
    Buyer { id, snapshot: client.to_input() }
}

/// One line: once `unit_price` euros HT, 20 % VAT.
pub(super) fn line(description: &str, unit_price: &str) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: "1".into(),
        unit: String::new(),
        unit_price: unit_price.into(),
        vat_rate: "20".into(),
        discount: String::new(),
    }
}

/// A complete invoice of one line (services, 20 % VAT: `unit_price` 100 is 120,00 € TTC).
pub(super) fn invoice_input(
    client_id: ClientId,
    issue_date: &str,
    due_date: &str,
    description: &str,
    unit_price: &str,
) -> InvoiceInput {
    InvoiceInput {
        client_id: Some(client_id),
        issue_date: issue_date.into(),
        service_date: issue_date.into(),
        service_end: String::new(),
        due_date: due_date.into(),
        operation: "services".into(),
        lines: vec![line(description, unit_price)],
        payment_methods: vec!["transfer".into(), "payment_link".into()],
        ..InvoiceInput::default()
    }
}

/// HT, VAT and TTC, as issuing computes them.
pub(super) fn totals_of(content: &InvoiceInput) -> [Money; 3] {
    let totals = content.validate(false).unwrap_or_else(|e| panic!("invoice {content:?}: {e:?}")).totals;
    [totals.ht, totals.tax, totals.ttc]
}

pub(super) fn year_of(date: &str) -> i64 {
    date[..4].parse().expect("an ISO date")
}

pub(super) fn pay_token_salt(business_id: BusinessId, id: InvoiceId) -> String {
    format!("salt-{business_id}-{id}")
}

pub(super) fn pay_token_hash(business_id: BusinessId, id: InvoiceId) -> String {
    format!("pay-token-hash-{business_id}-{id}")
}

/// Saves a draft the way the editor does: created, then saved with its client's name and totals.
pub(super) async fn draft(
    store: &dyn Store,
    biz: &Biz,
    buyer: &Buyer,
    content: &InvoiceInput,
    now: i64,
) -> InvoiceId {
    let id = store.create_draft(biz.id, content, now).await.expect("create_draft");
    store
        .update_draft(biz.id, id, content, &buyer.snapshot.name, totals_of(content), now)
        .await
        .expect("update_draft");
    id
}

/// Asks the store to issue a draft as `services::invoices::issue` does, `content` being the
/// draft's checked content.
pub(super) async fn issue(
    store: &dyn Store,
    biz: &Biz,
    id: InvoiceId,
    content: &InvoiceInput,
    buyer: &Buyer,
    now: i64,
) -> Result<Result<String, IssueRefusal>, StoreError> {
    let salt = pay_token_salt(biz.id, id);
    let hash = pay_token_hash(biz.id, id);
    let request = IssueRequest {
        content,
        number_prefix: &biz.prefix,
        year: year_of(&content.issue_date),
        issue_date: &content.issue_date,
        due_date: &content.due_date,
        totals: totals_of(content),
        seller: &biz.seller,
        client: &buyer.snapshot,
        pay_token_salt: &salt,
        pay_token_hash: &hash,
        logo_file: Some(ISSUED_LOGO),
    };
    store.issue_invoice(biz.id, id, &request, now).await
}

/// Drafts and issues `content`; its id and number.
pub(super) async fn issued_content(
    store: &dyn Store,
    biz: &Biz,
    buyer: &Buyer,
    content: &InvoiceInput,
    now: i64,
) -> (InvoiceId, String) {
    let id = draft(store, biz, buyer, content, now).await;
    match issue(store, biz, id, content, buyer, now).await.expect("issue_invoice") {
        Ok(number) => (id, number),
        Err(refusal) => panic!("issuing {:?} was refused: {refusal:?}", content.lines[0].description),
    }
}

/// Drafts and issues an invoice of one line at `unit_price` euros HT; its id and number.
#[allow(clippy::too_many_arguments)]
pub(super) async fn issued(
    store: &dyn Store,
    biz: &Biz,
    buyer: &Buyer,
    issue_date: &str,
    due_date: &str,
    description: &str,
    unit_price: &str,
    now: i64,
) -> (InvoiceId, String) {
    let content = invoice_input(buyer.id, issue_date, due_date, description, unit_price);
    issued_content(store, biz, buyer, &content, now).await
}

/// A credit note's content as `services::invoices::credit` builds it: one line at `unit_price`
/// euros HT (20 % VAT), dated and due on `issue_date`.
pub(super) fn credit_input(client_id: Option<ClientId>, issue_date: &str, unit_price: &str) -> InvoiceInput {
    InvoiceInput {
        client_id,
        issue_date: issue_date.into(),
        service_date: issue_date.into(),
        service_end: String::new(),
        due_date: issue_date.into(),
        operation: "services".into(),
        lines: vec![line("Avoir", unit_price)],
        payment_methods: Vec::new(),
        notes: "Geste commercial".into(),
        ..InvoiceInput::default()
    }
}

/// Asks the store for a credit note of `credit_input(client_id, issue_date, unit_price)` as
/// `services::invoices::credit` does (the change computed by the domain, computed again when a
/// payment changed the invoice in between), the user having seen `expected_credited` already
/// credited: `Ok(None)` when that is no longer so, or the domain refuses.
#[allow(clippy::too_many_arguments)]
pub(super) async fn credit(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    client_id: Option<ClientId>,
    issue_date: &str,
    unit_price: &str,
    expected_credited: Money,
    now: i64,
) -> Result<Option<InvoiceId>, StoreError> {
    let content = credit_input(client_id, issue_date, unit_price);
    let totals = content.preview_totals(false);
    for _ in 0..ATTEMPTS {
        let invoice = match store.invoice(business_id, invoice_id).await {
            Ok(invoice) if invoice.kind == DocumentKind::Invoice => invoice,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        if invoice.amount_credited != expected_credited {
            return Ok(None);
        }
        let Some(change) = invoice.settlement().credit(totals.ttc) else { return Ok(None) };
        let request = CreditNoteRequest {
            content: &content,
            year: year_of(issue_date),
            issue_date: &content.issue_date,
            totals: [totals.ht, totals.tax, totals.ttc],
            change,
        };
        if let Some(note) = store.issue_credit_note(business_id, invoice_id, &request, now).await? {
            return Ok(Some(note));
        }
    }
    panic!("invoice {invoice_id} kept changing under a credit note")
}

/// How many times the helpers below compute a change again, as the services do.
const ATTEMPTS: usize = 10;

/// The invoice as a service reads it before a change; `None` for another business's, a draft
/// or a credit note (which no change applies to).
async fn read_invoice(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
) -> Result<Option<InvoiceRecord>, StoreError> {
    match store.invoice(business_id, invoice_id).await {
        Ok(invoice) if invoice.kind == DocumentKind::Invoice => Ok(Some(invoice)),
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Records a payment by hand as `services::invoices::record_payment` does: `Ok(false)` when the
/// domain refuses it (not awaiting payment, more than is left).
pub(super) async fn record_payment(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    payment: &PaymentRecord,
    now: i64,
) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let Some(invoice) = read_invoice(store, business_id, invoice_id).await? else { return Ok(false) };
        let Some(change) = invoice.settlement().pay(payment.amount) else { return Ok(false) };
        if store.record_payment(business_id, invoice_id, payment, &change, now).await? {
            return Ok(true);
        }
    }
    panic!("invoice {invoice_id} kept changing under a payment")
}

/// Records a refund as `services::invoices::record_refund` does: `Ok(false)` when the domain
/// refuses it (nothing or less owed).
pub(super) async fn record_refund(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    refund: &RefundRecord,
    now: i64,
) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let Some(invoice) = read_invoice(store, business_id, invoice_id).await? else { return Ok(false) };
        let Some(change) = invoice.settlement().refund(refund.amount) else { return Ok(false) };
        if store.record_refund(business_id, invoice_id, refund, &change, now).await? {
            return Ok(true);
        }
    }
    panic!("invoice {invoice_id} kept changing under a refund")
}

/// Queues an invoice's e-mail as `services::email::send` does: `Ok(false)` when it may not be
/// sent (a draft, cancelled, another business's).
pub(super) async fn queue_invoice_email(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    email: &OutgoingEmail,
    now: i64,
) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let Some(invoice) = read_invoice(store, business_id, invoice_id).await? else { return Ok(false) };
        let Some(change) = invoice.settlement().send() else { return Ok(false) };
        if store.queue_invoice_email(business_id, invoice_id, email, &change, now).await? {
            return Ok(true);
        }
    }
    panic!("invoice {invoice_id} kept changing under an e-mail")
}

/// What recording a card payment did, as `services::checkout` tells it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Online {
    AlreadyRecorded,
    Recorded {
        settled: bool,
    },
    /// Money the invoice no longer awaited: kept, flagged, no receipt.
    Duplicate,
}

/// Records a card payment as `services::checkout` does: the payment when the invoice awaits
/// it (with `receipts`), else the money kept anyway and flagged.
pub(super) async fn record_online_payment(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    payment: &PaymentRecord,
    receipts: &[OutgoingEmail],
    now: i64,
) -> Result<Online, StoreError> {
    let amount = payment.amount;
    for _ in 0..ATTEMPTS {
        let invoice = store.invoice(business_id, invoice_id).await?;
        let (change, event, receipts, outcome) = match invoice.settlement().pay(amount) {
            Some(change) => {
                let event = HistoryEvent::OnlinePayment {
                    amount_cents: amount.cents(),
                    fee_cents: payment.fee.cents(),
                    date: payment.received_on.clone(),
                };
                (change, event, receipts, Online::Recorded { settled: change.to.balance() <= Money::ZERO })
            }
            None => {
                let event = HistoryEvent::DuplicatePayment { amount_cents: amount.cents() };
                (invoice.settlement().receive_anyway(amount), event, &[][..], Online::Duplicate)
            }
        };
        let settled = OnlineSettlement { payment, change, event, receipts };
        match store.record_online_payment(business_id, invoice_id, &settled, now).await? {
            OnlinePaymentOutcome::AlreadyRecorded => return Ok(Online::AlreadyRecorded),
            OnlinePaymentOutcome::Recorded => return Ok(outcome),
            OnlinePaymentOutcome::Changed => continue,
        }
    }
    panic!("invoice {invoice_id} kept changing under a card payment")
}

/// Records money received by hand as `services::invoices::record_payment` does; the payment.
pub(super) async fn pay(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    amount_cents: i64,
    method: &str,
    received_on: &str,
    now: i64,
) -> PaymentRecord {
    let invoice = store.invoice(business_id, invoice_id).await.expect("invoice");
    let payment = PaymentRecord::on(&invoice, cents(amount_cents), method, received_on.into());
    let recorded =
        record_payment(store, business_id, invoice_id, &payment, now).await.expect("record_payment");
    assert!(recorded, "a payment of {amount_cents} cents on invoice {invoice_id} was refused");
    payment
}

/// A card payment through a Checkout Session, as `services::checkout` records it.
pub(super) fn online_payment(
    invoice: &InvoiceRecord,
    session_id: &str,
    amount_cents: i64,
    fee_cents: i64,
    received_on: &str,
) -> PaymentRecord {
    PaymentRecord {
        fee: cents(fee_cents),
        provider_session_id: Some(session_id.into()),
        provider_payment_id: Some(format!("pi_{session_id}")),
        ..PaymentRecord::on(invoice, cents(amount_cents), "online_card", received_on.into())
    }
}

/// A Checkout Session just created for `amount_cents` (2,9 % fee), open for a day.
pub(super) fn attempt(
    session_id: &str,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    amount_cents: i64,
    created_at: i64,
) -> CheckoutAttempt {
    CheckoutAttempt {
        session_id: session_id.into(),
        business_id,
        invoice_id,
        account_id: "acct_contract".into(),
        amount: cents(amount_cents),
        fee: cents(amount_cents * 29 / 1_000),
        url: format!("https://checkout.stripe.test/c/pay/{session_id}"),
        status: AttemptStatus::Open,
        failure: None,
        expires_at: created_at + 86_400,
        created_at,
    }
}

/// The invoice's timeline, events only.
pub(super) async fn timeline(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
) -> Vec<HistoryEvent> {
    store.history(business_id, invoice_id).await.expect("history").into_iter().map(|e| e.event).collect()
}

/// An e-mail with bodies, and the receipt version of its invoice's PDF attached when asked.
pub(super) fn outgoing(recipients: &[&str], subject: &str, attachment: bool) -> OutgoingEmail {
    OutgoingEmail {
        recipients: recipients.iter().map(|r| r.to_string()).collect(),
        reply_to: "contact@exemple.fr".into(),
        subject: subject.into(),
        text_body: format!("Bonjour,\n\n{subject}.\n\nCordialement"),
        html_body: format!("<p>Bonjour,</p><p>{subject}.</p>"),
        attachment: attachment.then(|| app::ports::PdfAttachment {
            file_name: "Facture acquittée F-2026-0001.pdf".into(),
            acquitted: true,
        }),
    }
}

/// The business's messages about one invoice, newest first, bodies left out.
pub(super) async fn messages_of(
    store: &dyn Store,
    business_id: BusinessId,
    invoice_id: InvoiceId,
) -> Vec<OutboxRecord> {
    let all = store.outbox(business_id, None, 1_000).await.expect("outbox");
    all.into_iter().filter(|m| m.invoice_id == Some(invoice_id)).collect()
}

/// Delivers everything due at `now`, so that a chapter's claims see only its own messages.
pub(super) async fn drain_outbox(store: &dyn Store, now: i64) {
    loop {
        let claimed = store.claim_due_emails(now, now + 1, 100).await.expect("claim_due_emails");
        if claimed.is_empty() {
            break;
        }
        for message in claimed {
            store.email_sent(message.id, now).await.expect("email_sent");
        }
    }
}

/// Applies every webhook event due at `now`, so that a chapter's claims see only its own.
pub(super) async fn drain_inbox(store: &dyn Store, now: i64) {
    loop {
        let claimed = store.claim_stripe_events(now, now + 1, 100).await.expect("claim_stripe_events");
        if claimed.is_empty() {
            break;
        }
        for event in claimed {
            store.stripe_event_applied(&event.id, now).await.expect("stripe_event_applied");
        }
    }
}

pub(super) fn stripe_event(
    id: &str,
    endpoint: &str,
    event_type: &str,
    account: Option<&str>,
    object_id: &str,
) -> StripeEvent {
    StripeEvent {
        id: id.into(),
        endpoint: app::ports::WebhookEndpoint::from_code(endpoint).expect("platform or connect"),
        event_type: event_type.into(),
        account: account.map(str::to_owned),
        object_id: object_id.into(),
        attempts: 0,
    }
}

#[track_caller]
pub(super) fn assert_not_found<T: Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// A read of another business's data: nothing, as an empty list or as `NotFound`.
#[track_caller]
pub(super) fn assert_nothing<T: Debug>(result: Result<Vec<T>, StoreError>, what: &str) {
    match result {
        Ok(items) if items.is_empty() => {}
        Err(StoreError::NotFound) => {}
        other => panic!("{what}: expected nothing, got {other:?}"),
    }
}

/// A write that must not happen: refused, whether as `Ok(false)` or as an error.
#[track_caller]
pub(super) fn assert_refused(result: Result<bool, StoreError>, what: &str) {
    assert!(!matches!(result, Ok(true)), "{what}: expected a refusal, got {result:?}");
}
