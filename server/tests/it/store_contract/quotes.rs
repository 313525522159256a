//! Chapter 11: quotes — drafts, sending under their own gap-free `D-` numbers with snapshots
//! and a link, new versions that replace the old once sent, the client's answers.

use super::fixtures::{
    assert_not_found, assert_refused, business, buyer, company, invoice_input, issued_content, line,
    outgoing, start_of, Biz, Buyer,
};
use app::domain::quote::QuoteHistoryEvent as E;
use app::domain::{InvoiceInput, Money, QuoteInput, QuoteStatus};
use app::ports::{
    MailDocument, QuoteAnswer, QuoteHistoryEntry, QuoteId, SendQuoteRefusal, SendQuoteRequest, Store,
};

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(11);
    let biz = business(store, "devis", t).await;
    let other = business(store, "devis-voisins", t).await;
    let client = buyer(store, biz.id, &company("Martin Rénovation", "devis@martin.fr"), t).await;

    // A draft is kept as typed, edited, deleted; only by its business, only while a draft.
    let typed = quote_input(&client, "2026-03-02", "Pose de parquet", "1000");
    let id =
        store.create_quote(biz.id, &typed, "Martin Rénovation", None, t + 1).await.expect("create_quote");
    let stored = store.quote(biz.id, id).await.expect("quote");
    assert_eq!((stored.status, stored.number.as_deref()), (QuoteStatus::Draft, None));
    assert_eq!(stored.content, typed);
    assert_eq!((stored.date.as_str(), stored.valid_until.as_str()), ("2026-03-02", "2026-04-01"));
    assert!(stored.token_salt.is_none() && stored.seller.is_none() && stored.answer.is_none());
    let retyped = QuoteInput { deposit_percent: "30".into(), ..typed.clone() };
    assert!(store.update_quote_draft(biz.id, id, &retyped, "Martin Rénovation", t + 2).await.unwrap());
    assert_eq!(store.quote(biz.id, id).await.unwrap().content, retyped);
    assert_not_found(store.quote(other.id, id).await, "another business's quote");
    assert_not_found(store.update_quote_draft(other.id, id, &typed, "x", t + 3).await, "editing another's");
    assert_not_found(store.delete_quote_draft(other.id, id).await, "deleting another's");
    let scrap = store.create_quote(biz.id, &typed, "Martin Rénovation", None, t + 4).await.unwrap();
    assert!(store.delete_quote_draft(biz.id, scrap).await.unwrap());
    assert_not_found(store.quote(biz.id, scrap).await, "a deleted draft");

    // Sent: numbered D-2026-0001, frozen with its snapshots and link; then never edited again.
    let number = send(store, &biz, &client, id, &retyped, "hash-1", t + 10).await.expect("sent");
    assert_eq!(number, "D-2026-0001");
    let sent = store.quote(biz.id, id).await.unwrap();
    assert_eq!((sent.status, sent.sent_at), (QuoteStatus::Sent, Some(t + 10)));
    assert_eq!((sent.total_ttc, sent.deposit), (Money::from_cents(120_000), Money::from_cents(36_000)));
    assert_eq!(sent.seller.as_ref(), Some(&biz.seller));
    assert_eq!(sent.client.as_ref(), Some(&client.snapshot));
    assert_eq!(sent.token_salt.as_deref(), Some("salt-hash-1"));
    assert!(!store.update_quote_draft(biz.id, id, &typed, "x", t + 11).await.unwrap(), "frozen once sent");
    assert!(!store.delete_quote_draft(biz.id, id).await.unwrap(), "a sent quote stays");
    assert_eq!(
        send(store, &biz, &client, id, &retyped, "hash-x", t + 12).await,
        Err(SendQuoteRefusal::NotDraft)
    );
    assert_eq!(store.quote_by_token("hash-1").await.unwrap(), Some((biz.id, id)));
    assert_eq!(store.quote_by_token("hash-unknown").await.unwrap(), None);
    // The other business numbers from 1 too: sequences are per business.
    let theirs = buyer(store, other.id, &company("Autre client", "a@b.fr"), t).await;
    let their_input = quote_input(&theirs, "2026-03-05", "Étude", "10");
    let elsewhere = store.create_quote(other.id, &their_input, "Autre client", None, t + 13).await.unwrap();
    assert_eq!(
        send(store, &other, &theirs, elsewhere, &their_input, "hash-o", t + 14).await.unwrap(),
        "D-2026-0001"
    );

    // Opened, then a new version: the old one stays answerable until the new one is sent.
    assert!(store
        .change_quote_status(biz.id, id, QuoteStatus::Sent, QuoteStatus::Viewed, None, t + 20)
        .await
        .unwrap());
    assert_refused(
        store.change_quote_status(biz.id, id, QuoteStatus::Sent, QuoteStatus::Viewed, None, t + 21).await,
        "a status that moved on",
    );
    let cheaper = quote_input(&client, "2026-03-09", "Pose de parquet", "900");
    let v2 = store.create_quote(biz.id, &cheaper, "Martin Rénovation", Some(id), t + 30).await.unwrap();
    assert_eq!(store.quote(biz.id, v2).await.unwrap().replaces, Some(id));
    assert_eq!(store.quote(biz.id, id).await.unwrap().replaced_by, None, "not until sent");
    assert_not_found(
        store.create_quote(other.id, &cheaper, "x", Some(id), t + 31).await,
        "replacing another's",
    );
    assert_eq!(send(store, &biz, &client, v2, &cheaper, "hash-2", t + 32).await.unwrap(), "D-2026-0002");
    assert_eq!(store.quote(biz.id, id).await.unwrap().replaced_by, Some(v2));
    assert_refused(
        store
            .change_quote_status(
                biz.id,
                id,
                QuoteStatus::Viewed,
                QuoteStatus::Accepted,
                Some(&yes(t + 33)),
                t + 33,
            )
            .await,
        "a replaced quote cannot be accepted",
    );

    // Accepted with its proof; a version of an accepted quote cannot be sent.
    let proof = yes(t + 40);
    assert!(store
        .change_quote_status(biz.id, v2, QuoteStatus::Sent, QuoteStatus::Accepted, Some(&proof), t + 40)
        .await
        .unwrap());
    let accepted = store.quote(biz.id, v2).await.unwrap();
    assert_eq!((accepted.status, accepted.answer.as_ref()), (QuoteStatus::Accepted, Some(&proof)));
    let v3 = store.create_quote(biz.id, &cheaper, "Martin Rénovation", Some(v2), t + 41).await.unwrap();
    assert_eq!(
        send(store, &biz, &client, v3, &cheaper, "hash-3", t + 42).await,
        Err(SendQuoteRefusal::ReplacedAnswered)
    );
    assert_eq!(store.quote(biz.id, v3).await.unwrap().status, QuoteStatus::Draft, "nothing written");
    assert_eq!(store.quote(biz.id, v2).await.unwrap().replaced_by, None);
    assert!(store
        .change_quote_status(biz.id, v2, QuoteStatus::Accepted, QuoteStatus::Invoiced, None, t + 43)
        .await
        .unwrap());
    assert_eq!(store.quote(biz.id, v2).await.unwrap().answer.as_ref(), Some(&proof), "the proof stays");

    // Each change wrote its line of the timeline, the refused send none.
    let lines =
        |entries: Vec<QuoteHistoryEntry>| entries.into_iter().map(|e| (e.at, e.event)).collect::<Vec<_>>();
    let number = |n: &str| n.to_owned();
    assert_eq!(
        lines(store.quote_history(biz.id, id).await.unwrap()),
        vec![
            (t + 1, E::Created),
            (t + 10, E::Sent { number: number("D-2026-0001") }),
            (t + 20, E::Viewed),
            (t + 32, E::Replaced { by: number("D-2026-0002") }),
        ]
    );
    assert_eq!(
        lines(store.quote_history(biz.id, v2).await.unwrap()),
        vec![
            (t + 30, E::NewVersionOf { number: number("D-2026-0001") }),
            (t + 32, E::Sent { number: number("D-2026-0002") }),
            (t + 40, E::Accepted { full_name: "Paul Martin".into() }),
            (t + 43, E::Invoiced),
        ]
    );
    assert_eq!(
        lines(store.quote_history(biz.id, v3).await.unwrap()),
        vec![(t + 41, E::NewVersionOf { number: number("D-2026-0002") })]
    );
    assert!(store.quote_history(other.id, id).await.unwrap().is_empty(), "another business's timeline");

    // The list: newest first, this business's only.
    let listed: Vec<QuoteId> = store.quotes(biz.id, 50, 0).await.unwrap().iter().map(|q| q.id).collect();
    assert_eq!(listed, vec![v3, v2, id]);
    assert_eq!(store.quotes(biz.id, 1, 1).await.unwrap()[0].id, v2, "paged");
    assert_eq!(store.quotes(other.id, 50, 0).await.unwrap().len(), 1);

    // The invoices that bill a quote: found from the quote, by its business only.
    let deposit = InvoiceInput {
        quote_id: Some(v2),
        quote_number: "D-2026-0002".into(),
        deposit: true,
        ..invoice_input(client.id, "2026-03-11", "2026-03-11", "Acompte de 30 %", "300")
    };
    let (deposit_id, _) = issued_content(store, &biz, &client, &deposit, t + 50).await;
    let unrelated = invoice_input(client.id, "2026-03-11", "2026-04-10", "Autre chose", "50");
    let draft = store
        .create_draft(biz.id, &InvoiceInput { quote_id: Some(v2), ..unrelated.clone() }, t + 51)
        .await
        .unwrap();
    store.create_draft(biz.id, &unrelated, t + 52).await.unwrap();
    assert_eq!(store.quote_invoices(biz.id, v2).await.unwrap(), vec![deposit_id, draft]);
    assert_eq!(store.quote_invoices(biz.id, id).await.unwrap(), Vec::<i64>::new());
    assert_eq!(store.quote_invoices(other.id, v2).await.unwrap(), Vec::<i64>::new(), "another business's");

    // Messages about a quote name it, and count against it alone.
    let message = outgoing(&["devis@martin.fr"], "Devis D-2026-0002", true);
    store.queue_quote_email(biz.id, v2, &message, t + 53).await.expect("queue_quote_email");
    let listed = store.outbox(biz.id, None, 10).await.unwrap();
    assert_eq!((listed[0].quote_id, listed[0].invoice_id), (Some(v2), None));
    let about = |document| store.queued_since(biz.id, document, t + 53);
    assert_eq!(about(MailDocument::Quote(v2)).await.unwrap().about_document, 1);
    assert_eq!(about(MailDocument::Quote(id)).await.unwrap().about_document, 0);
    assert_eq!(about(MailDocument::Invoice(deposit_id)).await.unwrap().about_document, 0);

    // The dashboard's figures: one quote sent and awaiting an answer until its validity ends,
    // one accepted and invoiced; replaced versions and drafts counted nowhere.
    let waiting = quote_input(&client, "2026-03-12", "Terrasse", "2000");
    let w = store.create_quote(biz.id, &waiting, "Martin Rénovation", None, t + 60).await.unwrap();
    send(store, &biz, &client, w, &waiting, "hash-4", t + 61).await.expect("sent");
    let figures = |today: &'static str| store.quote_figures(biz.id, today, "2026-01-01", "2026-12-31");
    let now = figures("2026-03-12").await.unwrap();
    assert_eq!((now.awaiting, now.awaiting_ttc), (1, Money::from_cents(240_000)));
    assert_eq!((now.sent_in_year, now.accepted_in_year), (2, 1));
    assert_eq!(waiting.valid_until, "2026-04-11");
    assert_eq!(figures("2026-04-11").await.unwrap().awaiting, 1, "still valid on its last day");
    assert_eq!(figures("2026-04-12").await.unwrap().awaiting, 0, "expired");
    let last_year = store.quote_figures(biz.id, "2026-03-12", "2025-01-01", "2025-12-31").await.unwrap();
    assert_eq!((last_year.sent_in_year, last_year.accepted_in_year), (0, 0));
    let theirs = store.quote_figures(other.id, "2026-03-12", "2026-01-01", "2026-12-31").await.unwrap();
    assert_eq!((theirs.awaiting, theirs.awaiting_ttc), (1, Money::from_cents(1_200)), "their own quote only");
}

fn quote_input(client: &Buyer, date: &str, description: &str, unit_price: &str) -> QuoteInput {
    let date = app::domain::Date::parse(date).expect("a date");
    QuoteInput {
        client_id: Some(client.id),
        lines: vec![line(description, unit_price)],
        ..QuoteInput::new_on(date)
    }
}

fn yes(at: i64) -> QuoteAnswer {
    QuoteAnswer {
        accepted: true,
        full_name: "Paul Martin".into(),
        reason: String::new(),
        at,
        address: "203.0.113.7".into(),
        browser: "Mozilla/5.0".into(),
        pdf_sha256: "ab".repeat(32),
    }
}

/// Sends `id` as the service would: validated content, totals, deposit and snapshots.
async fn send(
    store: &dyn Store,
    biz: &Biz,
    client: &Buyer,
    id: QuoteId,
    content: &QuoteInput,
    token_hash: &str,
    now: i64,
) -> Result<String, SendQuoteRefusal> {
    let valid = content.validate(false).expect("a valid quote");
    let t = &valid.totals;
    let request = SendQuoteRequest {
        content,
        year: valid.date.year(),
        date: &content.date,
        valid_until: &content.valid_until,
        totals: [t.ht, t.tax, t.ttc],
        deposit: valid.deposit_amount,
        seller: &biz.seller,
        client: &client.snapshot,
        token_salt: &format!("salt-{token_hash}"),
        token_hash,
        logo_file: None,
    };
    store.send_quote(biz.id, id, &request, now).await.expect("send_quote")
}
