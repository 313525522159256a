//! Chapter 4: drafts, issuing and its numbering, credit notes, the invoice list with its
//! filters, sorts, pages and totals, timelines, pay links and views.

use super::fixtures::{
    assert_not_found, assert_nothing, business, buyer, cents, company, credit, credit_input, draft,
    invoice_input, issue, issued, pay, pay_token_hash, pay_token_salt, person, start_of, timeline, totals_of,
    Biz, ISSUED_LOGO,
};
use app::domain::{DocumentKind, HistoryEvent, InvoiceStatus, ListFilter, ListSort, Money};
use app::ports::{BusinessId, InvoiceId, InvoicePage, InvoiceQuery, IssueRefusal, Store};

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(4);
    drafts(store, t).await;
    numbering(store, t + 100_000).await;
    listing(store, t + 200_000).await;
}

/// A draft is saved as typed, edited, deleted; only by its business, only while a draft.
async fn drafts(store: &dyn Store, t: i64) {
    let biz = business(store, "brouillons", t).await;
    let other = business(store, "brouillons-voisins", t).await;
    let dupont = buyer(store, biz.id, &company("Dupont SARL", "compta@dupont.fr"), t).await;

    let typed = invoice_input(dupont.id, "2026-06-20", "2026-07-20", "Audit", "80");
    let id = store.create_draft(biz.id, &typed, t + 1).await.expect("create_draft");
    let stored = store.invoice(biz.id, id).await.expect("invoice");
    assert_eq!((stored.id, stored.kind, stored.status), (id, DocumentKind::Invoice, InvoiceStatus::Draft));
    assert_eq!(stored.number, None);
    assert_eq!(stored.content, typed);
    assert_eq!((stored.issue_date.as_str(), stored.due_date.as_str()), ("2026-06-20", "2026-07-20"));
    assert_eq!((stored.amount_paid, stored.amount_credited), (Money::ZERO, Money::ZERO));
    assert_eq!(stored.credited_invoice_id, None);
    assert_eq!(stored.pay_token_salt, None);
    assert!(stored.seller.is_none() && stored.client.is_none(), "no snapshot before issuing");
    let history = store.history(biz.id, id).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].at, &history[0].event), (t + 1, &HistoryEvent::Created));

    let retyped = invoice_input(dupont.id, "2026-06-21", "2026-07-21", "Audit complet", "90");
    store
        .update_draft(biz.id, id, &retyped, "Dupont SARL", totals_of(&retyped), t + 2)
        .await
        .expect("update_draft");
    let stored = store.invoice(biz.id, id).await.unwrap();
    assert_eq!(stored.content, retyped);
    assert_eq!(stored.client_name, "Dupont SARL");
    assert_eq!((stored.issue_date.as_str(), stored.due_date.as_str()), ("2026-06-21", "2026-07-21"));
    assert_eq!(
        [stored.total_ht, stored.total_tax, stored.total_ttc],
        [cents(9_000), cents(1_800), cents(10_800)]
    );
    assert_eq!(stored.status, InvoiceStatus::Draft);
    assert_eq!(timeline(store, biz.id, id).await, vec![HistoryEvent::Created]);

    // Another business can neither read, edit nor delete it.
    assert_not_found(store.invoice(other.id, id).await, "another business reading a draft");
    assert_not_found(
        store.update_draft(other.id, id, &typed, "Intrus", totals_of(&typed), t + 3).await,
        "another business editing a draft",
    );
    assert_not_found(store.delete_draft(other.id, id).await, "another business deleting a draft");
    assert_nothing(store.history(other.id, id).await, "another business reading a draft's timeline");
    assert_eq!(store.invoice(biz.id, id).await.unwrap().content, retyped, "untouched");

    store.delete_draft(biz.id, id).await.expect("delete_draft");
    assert_not_found(store.invoice(biz.id, id).await, "a deleted draft");
    assert_not_found(store.delete_draft(biz.id, id).await, "deleting twice");
    assert_not_found(
        store.update_draft(biz.id, id, &typed, "Dupont SARL", totals_of(&typed), t + 4).await,
        "editing a deleted draft",
    );
}

/// Numbers follow the year's sequence of the business, never skipped nor given twice, and
/// follow the dates.
async fn numbering(store: &dyn Store, t: i64) {
    let biz = business(store, "numerotation", t).await;
    let other = business(store, "numerotation-voisine", t).await;
    let client = buyer(store, biz.id, &person("Client Un"), t).await;
    let others_client = buyer(store, other.id, &person("Client Deux"), t).await;

    let content = invoice_input(client.id, "2026-02-01", "2026-03-03", "Premier", "100");
    let first = draft(store, &biz, &client, &content, t + 1).await;
    assert_eq!(issue(store, &biz, first, &content, &client, t + 2).await.unwrap().unwrap(), "F-2026-0001");
    let stored = store.invoice(biz.id, first).await.unwrap();
    assert_eq!(stored.status, InvoiceStatus::Issued);
    assert_eq!(stored.number.as_deref(), Some("F-2026-0001"));
    assert_eq!(stored.content, content);
    assert_eq!(stored.client_name, "Client Un");
    assert_eq!((stored.issue_date.as_str(), stored.due_date.as_str()), ("2026-02-01", "2026-03-03"));
    assert_eq!(
        [stored.total_ht, stored.total_tax, stored.total_ttc],
        [cents(10_000), cents(2_000), cents(12_000)]
    );
    assert_eq!(stored.seller.as_ref(), Some(&biz.seller));
    assert_eq!(stored.client.as_ref(), Some(&client.snapshot));
    assert_eq!(stored.pay_token_salt, Some(pay_token_salt(biz.id, first)));
    assert_eq!(stored.balance(), cents(12_000));
    // Its logo is kept with it, and its file stays in use whatever the business does since.
    assert_eq!(stored.logo_file.as_deref(), Some(ISSUED_LOGO));
    assert!(store.logo_in_use(ISSUED_LOGO).await.unwrap(), "an issued document still shows it");

    // Issued once; frozen afterwards.
    assert!(matches!(
        issue(store, &biz, first, &content, &client, t + 3).await.unwrap(),
        Err(IssueRefusal::NotDraft)
    ));
    let other_content = invoice_input(client.id, "2026-02-01", "2026-03-03", "Réécrit", "1");
    assert_not_found(
        store
            .update_draft(biz.id, first, &other_content, "Client Un", totals_of(&other_content), t + 4)
            .await,
        "editing an issued invoice",
    );
    assert_not_found(store.delete_draft(biz.id, first).await, "deleting an issued invoice");
    let stored = store.invoice(biz.id, first).await.unwrap();
    assert_eq!(stored.content, content, "unchanged");
    assert_eq!(stored.number.as_deref(), Some("F-2026-0001"));

    let (_, second) =
        issued(store, &biz, &client, "2026-02-10", "2026-03-12", "Deuxième", "100", t + 5).await;
    assert_eq!(second, "F-2026-0002");

    // A date before an invoice already issued is refused, and takes no number.
    let late_content = invoice_input(client.id, "2026-02-05", "2026-03-05", "En retard", "10");
    let late = draft(store, &biz, &client, &late_content, t + 6).await;
    assert!(matches!(
        issue(store, &biz, late, &late_content, &client, t + 7).await.unwrap(),
        Err(IssueRefusal::OutOfOrder)
    ));
    let still = store.invoice(biz.id, late).await.unwrap();
    assert_eq!((still.status, still.number), (InvoiceStatus::Draft, None));
    assert_eq!(store.invoice_by_pay_token(&pay_token_hash(biz.id, late)).await.unwrap(), None, "no pay link");
    assert_eq!(timeline(store, biz.id, late).await, vec![HistoryEvent::Created]);
    // The same date as the latest is in order.
    let same_day = invoice_input(client.id, "2026-02-10", "2026-03-12", "En retard", "10");
    store.update_draft(biz.id, late, &same_day, "Client Un", totals_of(&same_day), t + 8).await.unwrap();
    assert_eq!(issue(store, &biz, late, &same_day, &client, t + 9).await.unwrap().unwrap(), "F-2026-0003");
    assert_eq!(
        timeline(store, biz.id, late).await,
        vec![HistoryEvent::Created, HistoryEvent::Issued { number: "F-2026-0003".into() }]
    );

    // Each business has its own sequence, and its own order of dates.
    let (_, theirs) =
        issued(store, &other, &others_client, "2026-01-15", "2026-02-14", "Ailleurs", "10", t + 10).await;
    assert_eq!(theirs, "F-2026-0001");

    // Another business cannot issue this business's draft.
    let mine_content = invoice_input(client.id, "2026-12-30", "2027-01-29", "Fin d'année", "10");
    let mine = draft(store, &biz, &client, &mine_content, t + 11).await;
    let stolen = issue(store, &other, mine, &mine_content, &client, t + 12).await;
    assert!(!matches!(stolen, Ok(Ok(_))), "another business issued a draft: {stolen:?}");
    assert_eq!(store.invoice(biz.id, mine).await.unwrap().status, InvoiceStatus::Draft);
    assert_eq!(
        issue(store, &biz, mine, &mine_content, &client, t + 13).await.unwrap().unwrap(),
        "F-2026-0004"
    );

    // A new year starts a new sequence.
    let (_, next_year) =
        issued(store, &biz, &client, "2027-01-04", "2027-02-03", "Nouvel an", "10", t + 14).await;
    assert_eq!(next_year, "F-2027-0001");
    let (_, after) = issued(store, &biz, &client, "2027-01-05", "2027-02-04", "Suivante", "10", t + 15).await;
    assert_eq!(after, "F-2027-0002");
}

fn query(filter: ListFilter, today: &str) -> InvoiceQuery {
    InvoiceQuery { filter, today: today.into(), limit: 100, ..InvoiceQuery::default() }
}

async fn list(store: &dyn Store, business_id: BusinessId, query: InvoiceQuery) -> InvoicePage {
    store.list_invoices(business_id, &query).await.expect("list_invoices")
}

fn ids(page: &InvoicePage) -> Vec<InvoiceId> {
    page.items.iter().map(|i| i.id).collect()
}

/// The page's figures: how many matched, their TTC, what is still due on them.
fn figures(page: &InvoicePage) -> (i64, Money, Money) {
    (page.count, page.total_ttc, page.total_due)
}

/// Credit notes, the list, timelines, pay links and views on one business's year.
async fn listing(store: &dyn Store, t: i64) {
    const TODAY: &str = "2026-06-15";
    let biz: Biz = business(store, "liste", t).await;
    let other = business(store, "liste-voisine", t).await;
    let dupont = buyer(store, biz.id, &company("Dupont SARL", "compta@dupont.fr"), t).await;
    let martin = buyer(store, biz.id, &person("Martin Conseil"), t).await;

    // A draft dated before everything (drafts come first when newest first, whatever their date).
    let d1 = draft(
        store,
        &biz,
        &dupont,
        &invoice_input(dupont.id, "2026-01-15", "2026-02-14", "Brouillon", "25"),
        t + 1,
    )
    .await;
    let (i1, n1) =
        issued(store, &biz, &dupont, "2026-03-01", "2026-03-31", "Conseil mars", "100", t + 2).await;
    let (i2, n2) =
        issued(store, &biz, &martin, "2026-04-01", "2026-05-01", "Conseil avril", "200", t + 3).await;
    let (i3, n3) = issued(store, &biz, &dupont, "2026-05-01", "2026-06-30", "Refonte", "350", t + 4).await;
    let (i4, n4) =
        issued(store, &biz, &martin, "2026-05-15", "2026-06-14", "Petite mission", "50", t + 5).await;
    let (i5, n5) =
        issued(store, &biz, &martin, "2026-06-01", "2026-07-01", "Grande mission", "400", t + 6).await;
    assert_eq!(
        [n1.as_str(), n2.as_str(), n3.as_str(), n4.as_str(), n5.as_str()],
        ["F-2026-0001", "F-2026-0002", "F-2026-0003", "F-2026-0004", "F-2026-0005"]
    );
    pay(store, biz.id, i1, 2_000, "transfer", "2026-03-15", t + 10).await;
    pay(store, biz.id, i4, 6_000, "cheque", "2026-05-20", t + 11).await;
    assert_eq!(store.invoice(biz.id, i1).await.unwrap().status, InvoiceStatus::PartiallyPaid);
    assert_eq!(store.invoice(biz.id, i4).await.unwrap().status, InvoiceStatus::Paid);

    // Credit notes: in part, refused when stale or too large, then the rest, which cancels.
    let a1 = credit(store, biz.id, i5, Some(martin.id), "2026-06-02", "150", Money::ZERO, t + 20)
        .await
        .expect("issue_credit_note")
        .expect("a partial credit note");
    let credited = store.invoice(biz.id, i5).await.unwrap();
    assert_eq!((credited.amount_credited, credited.status), (cents(18_000), InvoiceStatus::Issued));
    assert_eq!(credited.balance(), cents(30_000));
    let stale = credit(store, biz.id, i5, Some(martin.id), "2026-06-02", "10", Money::ZERO, t + 21).await;
    assert!(matches!(stale, Ok(None)), "a credit checked against a stale invoice: {stale:?}");
    let too_much =
        credit(store, biz.id, i5, Some(martin.id), "2026-06-03", "300", cents(18_000), t + 22).await;
    assert!(matches!(too_much, Ok(None)), "crediting more than is left: {too_much:?}");
    assert_eq!(
        store.invoice(biz.id, i5).await.unwrap().amount_credited,
        cents(18_000),
        "refusals change nothing"
    );
    assert_eq!(store.credit_notes(biz.id, i5).await.unwrap().len(), 1);
    let a2 = credit(store, biz.id, i5, Some(martin.id), "2026-06-03", "250", cents(18_000), t + 23)
        .await
        .expect("issue_credit_note")
        .expect("the rest credited");
    let cancelled = store.invoice(biz.id, i5).await.unwrap();
    assert_eq!((cancelled.amount_credited, cancelled.status), (cents(48_000), InvoiceStatus::Cancelled));
    assert_eq!(cancelled.balance(), Money::ZERO);
    let on_cancelled =
        credit(store, biz.id, i5, Some(martin.id), "2026-06-04", "10", cents(48_000), t + 24).await;
    assert!(matches!(on_cancelled, Ok(None)), "crediting a cancelled invoice: {on_cancelled:?}");
    let on_draft = credit(store, biz.id, d1, Some(dupont.id), "2026-06-04", "10", Money::ZERO, t + 25).await;
    assert!(matches!(on_draft, Ok(None)), "crediting a draft: {on_draft:?}");
    let stolen = credit(store, other.id, i1, None, "2026-06-04", "10", Money::ZERO, t + 26).await;
    assert!(!matches!(stolen, Ok(Some(_))), "another business crediting an invoice: {stolen:?}");
    assert_eq!(store.invoice(biz.id, i1).await.unwrap().amount_credited, Money::ZERO);

    let notes = store.credit_notes(biz.id, i5).await.expect("credit_notes");
    assert_eq!(notes.iter().map(|n| n.id).collect::<Vec<_>>(), vec![a1, a2], "oldest first");
    let note = &notes[0];
    assert_eq!((note.kind, note.status), (DocumentKind::CreditNote, InvoiceStatus::Issued));
    assert_eq!(note.number.as_deref(), Some("A-2026-0001"));
    assert_eq!(notes[1].number.as_deref(), Some("A-2026-0002"));
    assert_eq!(note.credited_invoice_id, Some(i5));
    assert_eq!([note.total_ht, note.total_tax, note.total_ttc], [cents(15_000), cents(3_000), cents(18_000)]);
    assert_eq!(notes[1].total_ttc, cents(30_000));
    assert_eq!((note.issue_date.as_str(), note.due_date.as_str()), ("2026-06-02", "2026-06-02"));
    assert_eq!(note.content, credit_input(Some(martin.id), "2026-06-02", "150"));
    assert_eq!(note.client_name, "Martin Conseil");
    assert_eq!(note.seller.as_ref(), Some(&biz.seller), "the invoice's seller");
    assert_eq!(note.client.as_ref(), Some(&martin.snapshot), "the invoice's client");
    assert_eq!(store.invoice(biz.id, a2).await.unwrap().number.as_deref(), Some("A-2026-0002"));
    assert!(store.credit_notes(biz.id, i1).await.unwrap().is_empty());
    assert_nothing(store.credit_notes(other.id, i5).await, "another business reading credit notes");

    // Timelines, in order.
    assert_eq!(
        timeline(store, biz.id, i5).await,
        vec![
            HistoryEvent::Created,
            HistoryEvent::Issued { number: n5.clone() },
            HistoryEvent::Credited { credit_note_id: a1, number: "A-2026-0001".into(), amount_cents: 18_000 },
            HistoryEvent::Credited { credit_note_id: a2, number: "A-2026-0002".into(), amount_cents: 30_000 },
            HistoryEvent::Cancelled,
        ]
    );
    let ats: Vec<i64> = store.history(biz.id, i5).await.unwrap().iter().map(|e| e.at).collect();
    assert_eq!(ats, vec![t + 6, t + 6, t + 20, t + 23, t + 23]);
    assert_eq!(
        timeline(store, biz.id, a1).await,
        vec![HistoryEvent::CreditNoteFor { invoice_id: i5, number: n5 }]
    );
    assert_eq!(
        timeline(store, biz.id, i1).await,
        vec![
            HistoryEvent::Created,
            HistoryEvent::Issued { number: n1.clone() },
            HistoryEvent::Payment {
                amount_cents: 2_000,
                method: "transfer".into(),
                date: "2026-03-15".into()
            },
        ]
    );
    assert_eq!(timeline(store, biz.id, d1).await, vec![HistoryEvent::Created]);
    assert_nothing(store.history(other.id, i5).await, "another business reading a timeline");

    // The whole list, newest first: drafts, then by date.
    let everything =
        store.list_invoices(biz.id, &query(ListFilter::All, TODAY)).await.expect("list_invoices");
    assert_eq!(ids(&everything), vec![d1, a2, a1, i5, i4, i3, i2, i1]);
    // TTC: invoices 132 000, credit notes −48 000, the draft not counted; due: i1 10 000 + i2 + i3.
    assert_eq!(figures(&everything), (8, cents(84_000), cents(76_000)));
    let item = &everything.items[7];
    assert_eq!((item.number.as_deref(), item.client_name.as_str()), (Some(n1.as_str()), "Dupont SARL"));
    assert_eq!((item.amount_paid, item.total_ttc), (cents(2_000), cents(12_000)));

    let sorted = |sort: ListSort| InvoiceQuery { sort, ..query(ListFilter::All, TODAY) };
    assert_eq!(
        ids(&list(store, biz.id, sorted(ListSort::Oldest)).await),
        vec![d1, i1, i2, i3, i4, i5, a1, a2]
    );
    assert_eq!(
        ids(&list(store, biz.id, sorted(ListSort::AmountHigh)).await),
        vec![i5, i3, a2, i2, a1, i1, i4, d1]
    );
    assert_eq!(
        ids(&list(store, biz.id, sorted(ListSort::AmountLow)).await),
        vec![d1, i4, i1, a1, i2, a2, i3, i5]
    );

    // Pages: the figures are the whole match's.
    let page =
        list(store, biz.id, InvoiceQuery { limit: 3, offset: 2, ..query(ListFilter::All, TODAY) }).await;
    assert_eq!(ids(&page), vec![a1, i5, i4]);
    assert_eq!(figures(&page), (8, cents(84_000), cents(76_000)));
    let beyond =
        list(store, biz.id, InvoiceQuery { limit: 3, offset: 8, ..query(ListFilter::All, TODAY) }).await;
    assert!(beyond.items.is_empty());
    assert_eq!(figures(&beyond), (8, cents(84_000), cents(76_000)));

    // Filters by status: drafts count only when asked for.
    let by_status = |status: InvoiceStatus| query(ListFilter::Status(status), TODAY);
    let page = list(store, biz.id, by_status(InvoiceStatus::Draft)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![d1], (1, cents(3_000), Money::ZERO)));
    let page = list(store, biz.id, by_status(InvoiceStatus::Issued)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![i3, i2], (2, cents(66_000), cents(66_000))));
    let page = list(store, biz.id, by_status(InvoiceStatus::Sent)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![], (0, Money::ZERO, Money::ZERO)));
    let page = list(store, biz.id, by_status(InvoiceStatus::PartiallyPaid)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![i1], (1, cents(12_000), cents(10_000))));
    let page = list(store, biz.id, by_status(InvoiceStatus::Paid)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![i4], (1, cents(6_000), Money::ZERO)));
    let page = list(store, biz.id, by_status(InvoiceStatus::Cancelled)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![i5], (1, cents(48_000), Money::ZERO)));
    let page = list(store, biz.id, query(ListFilter::CreditNotes, TODAY)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![a2, a1], (2, cents(-48_000), Money::ZERO)));

    // Overdue: money still expected after the due date, as of `today`.
    let page = list(store, biz.id, query(ListFilter::Overdue, TODAY)).await;
    assert_eq!((ids(&page), figures(&page)), (vec![i2, i1], (2, cents(36_000), cents(34_000))));
    let page = list(store, biz.id, query(ListFilter::Overdue, "2026-05-01")).await;
    assert_eq!(
        (ids(&page), figures(&page)),
        (vec![i1], (1, cents(12_000), cents(10_000))),
        "due today is not late"
    );
    let page = list(store, biz.id, query(ListFilter::Overdue, "2026-03-31")).await;
    assert_eq!(figures(&page), (0, Money::ZERO, Money::ZERO));

    // By client (credit notes follow their invoice's client).
    let page =
        list(store, biz.id, InvoiceQuery { client_id: Some(dupont.id), ..query(ListFilter::All, TODAY) })
            .await;
    assert_eq!((ids(&page), figures(&page)), (vec![d1, i3, i1], (3, cents(54_000), cents(52_000))));
    let page =
        list(store, biz.id, InvoiceQuery { client_id: Some(martin.id), ..query(ListFilter::All, TODAY) })
            .await;
    assert_eq!((ids(&page), figures(&page)), (vec![a2, a1, i5, i4, i2], (5, cents(30_000), cents(24_000))));
    let page =
        list(store, biz.id, InvoiceQuery { client_id: Some(martin.id), ..by_status(InvoiceStatus::Paid) })
            .await;
    assert_eq!(ids(&page), vec![i4]);

    // Search: the number or the client's name, whatever the case; `%` and `_` as typed.
    let searching = |text: &str| InvoiceQuery { search: text.into(), ..query(ListFilter::All, TODAY) };
    for text in ["martin", "MARTIN", "Martin Conseil"] {
        let page = list(store, biz.id, searching(text)).await;
        assert_eq!(
            (ids(&page), figures(&page)),
            (vec![a2, a1, i5, i4, i2], (5, cents(30_000), cents(24_000))),
            "{text}"
        );
    }
    assert_eq!(ids(&list(store, biz.id, searching("F-2026-0003")).await), vec![i3]);
    assert_eq!(ids(&list(store, biz.id, searching("a-2026")).await), vec![a2, a1]);
    let numbered = list(store, biz.id, searching("2026-000")).await;
    assert_eq!(
        (ids(&numbered), figures(&numbered)),
        (vec![a2, a1, i5, i4, i3, i2, i1], (7, cents(84_000), cents(76_000)))
    );
    for text in ["%", "_", "F_2026", "2026%0001"] {
        assert_eq!(
            figures(&list(store, biz.id, searching(text)).await),
            (0, Money::ZERO, Money::ZERO),
            "search {text:?}"
        );
    }
    let page =
        list(store, biz.id, InvoiceQuery { search: "dupont".into(), ..by_status(InvoiceStatus::Issued) })
            .await;
    assert_eq!(ids(&page), vec![i3]);

    // Another business lists nothing of it.
    let theirs = store.list_invoices(other.id, &query(ListFilter::All, TODAY)).await.unwrap();
    assert_eq!((ids(&theirs), figures(&theirs)), (vec![], (0, Money::ZERO, Money::ZERO)));

    // The pay link opens its issued invoice, and nothing else.
    assert_eq!(store.invoice_by_pay_token(&pay_token_hash(biz.id, i1)).await.unwrap(), Some((biz.id, i1)));
    assert_eq!(store.invoice_by_pay_token(&pay_token_hash(biz.id, i3)).await.unwrap(), Some((biz.id, i3)));
    assert_eq!(
        store.invoice_by_pay_token(&pay_token_hash(biz.id, d1)).await.unwrap(),
        None,
        "a draft has none"
    );
    assert_eq!(store.invoice_by_pay_token("no-such-token-hash").await.unwrap(), None);

    // Views: noted once a day.
    store.record_view(biz.id, i2, "2026-06-10", t + 30).await.expect("record_view");
    store.record_view(biz.id, i2, "2026-06-10", t + 31).await.expect("record_view");
    store.record_view(biz.id, i2, "2026-06-11", t + 32).await.expect("record_view");
    store.record_view(biz.id, i2, "2026-06-10", t + 33).await.expect("record_view");
    // Whatever another business's call says, it never reaches this timeline.
    let _ = store.record_view(other.id, i2, "2026-06-12", t + 34).await;
    let history = store.history(biz.id, i2).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        vec![
            HistoryEvent::Created,
            HistoryEvent::Issued { number: n2 },
            HistoryEvent::Viewed { date: "2026-06-10".into() },
            HistoryEvent::Viewed { date: "2026-06-11".into() },
        ]
    );
    assert_eq!((history[2].at, history[3].at), (t + 30, t + 32));
}
