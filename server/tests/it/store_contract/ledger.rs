//! Chapter 5: money received by hand and online, and money given back.

use super::fixtures::{
    assert_nothing, assert_refused, attempt, business, buyer, cents, credit, draft, invoice_input, issued,
    messages_of, online_payment, outgoing, pay, person, start_of, timeline,
};
use super::fixtures::{record_online_payment, record_payment, record_refund, Online};
use app::domain::{status_after_credit, HistoryEvent, InvoiceStatus, Money};
use app::ports::{AttemptStatus, PaymentRecord, RefundRecord, Store};

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(5);
    let biz = business(store, "encaissements", t).await;
    let other = business(store, "encaissements-voisins", t).await;
    let client = buyer(store, biz.id, &person("Client Fidèle"), t).await;

    // By hand: part, refused overpayment, the rest; nothing more once paid.
    let (p1, n1) = issued(store, &biz, &client, "2026-02-02", "2026-03-04", "Formation", "100", t + 1).await;
    let invoice = store.invoice(biz.id, p1).await.unwrap();
    assert_eq!(invoice.total_ttc, cents(12_000));
    let cheque = PaymentRecord::on(&invoice, cents(5_000), "cheque", "2026-02-10".into());
    assert!(record_payment(store, biz.id, p1, &cheque, t + 2).await.expect("record_payment"));
    let part = store.invoice(biz.id, p1).await.unwrap();
    assert_eq!(
        (part.status, part.amount_paid, part.balance()),
        (InvoiceStatus::PartiallyPaid, cents(5_000), cents(7_000))
    );
    let too_much = PaymentRecord::on(&invoice, cents(7_001), "transfer", "2026-02-11".into());
    assert!(!record_payment(store, biz.id, p1, &too_much, t + 3).await.unwrap(), "more than is due");
    let stolen = PaymentRecord::on(&invoice, cents(1_000), "cash", "2026-02-11".into());
    assert_refused(record_payment(store, other.id, p1, &stolen, t + 4).await, "another business's invoice");
    let unchanged = store.invoice(biz.id, p1).await.unwrap();
    assert_eq!((unchanged.status, unchanged.amount_paid), (InvoiceStatus::PartiallyPaid, cents(5_000)));
    // Recorded after the cheque, received before it.
    let transfer = PaymentRecord::on(&invoice, cents(7_000), "transfer", "2026-02-05".into());
    assert!(record_payment(store, biz.id, p1, &transfer, t + 5).await.unwrap());
    let paid = store.invoice(biz.id, p1).await.unwrap();
    assert_eq!(
        (paid.status, paid.amount_paid, paid.balance()),
        (InvoiceStatus::Paid, cents(12_000), Money::ZERO)
    );
    let one_cent = PaymentRecord::on(&invoice, cents(1), "cash", "2026-02-12".into());
    assert!(!record_payment(store, biz.id, p1, &one_cent, t + 6).await.unwrap(), "nothing is due any more");

    let payments = store.payments(biz.id, p1).await.expect("payments");
    assert_eq!(
        payments.iter().map(|p| (p.received_on.as_str(), p.amount, p.method.as_str())).collect::<Vec<_>>(),
        vec![("2026-02-05", cents(7_000), "transfer"), ("2026-02-10", cents(5_000), "cheque")],
        "oldest first, by the date the money came in"
    );
    let first = &payments[0];
    assert_eq!(
        (first.fee, first.revenue_ht, first.operation.as_str()),
        (Money::ZERO, transfer.revenue_ht, "services")
    );
    assert_eq!((first.provider_session_id.as_deref(), first.provider_payment_id.as_deref()), (None, None));
    assert_eq!(payments[1].revenue_ht, cheque.revenue_ht);
    assert_nothing(store.payments(other.id, p1).await, "another business reading payments");
    assert_eq!(
        timeline(store, biz.id, p1).await,
        vec![
            HistoryEvent::Created,
            HistoryEvent::Issued { number: n1 },
            HistoryEvent::Payment { amount_cents: 5_000, method: "cheque".into(), date: "2026-02-10".into() },
            HistoryEvent::Payment {
                amount_cents: 7_000,
                method: "transfer".into(),
                date: "2026-02-05".into()
            },
        ]
    );
    // A draft awaits no money.
    let draft_content = invoice_input(client.id, "2026-02-20", "2026-03-20", "Brouillon", "100");
    let d = draft(store, &biz, &client, &draft_content, t + 7).await;
    let on_draft = PaymentRecord {
        amount: cents(1_000),
        method: "cash".into(),
        received_on: "2026-02-21".into(),
        ..cheque.clone()
    };
    assert!(!record_payment(store, biz.id, d, &on_draft, t + 8).await.unwrap(), "a draft awaits no money");
    assert!(store.payments(biz.id, d).await.unwrap().is_empty());

    // Online: once per Checkout Session; receipts queued with a new payment only.
    let (p2, n2) =
        issued(store, &biz, &client, "2026-03-02", "2026-04-01", "Développement", "200", t + 10).await;
    let invoice = store.invoice(biz.id, p2).await.unwrap();
    store.save_checkout_attempt(&attempt("cs_ledger_1", biz.id, p2, 24_000, t + 11)).await.unwrap();
    let receipts = vec![
        outgoing(&["client@exemple.fr"], &format!("Paiement reçu — facture {n2}"), true),
        outgoing(&["encaissements@contract.reglo.test"], "Client Fidèle a payé", false),
    ];
    let first = online_payment(&invoice, "cs_ledger_1", 10_000, 290, "2026-03-05");
    let outcome = record_online_payment(store, biz.id, p2, &first, &receipts, t + 12)
        .await
        .expect("record_online_payment");
    assert_eq!(outcome, Online::Recorded { settled: false });
    let part = store.invoice(biz.id, p2).await.unwrap();
    assert_eq!((part.status, part.amount_paid), (InvoiceStatus::PartiallyPaid, cents(10_000)));
    let queued = messages_of(store, biz.id, p2).await;
    assert_eq!(
        queued.iter().map(|m| m.email.subject.as_str()).collect::<Vec<_>>(),
        vec!["Client Fidèle a payé".to_string(), format!("Paiement reçu — facture {n2}")],
        "both receipts queued, newest first"
    );
    assert!(queued.iter().all(|m| m.status == app::ports::OutboxStatus::Queued));
    let full = store.outbox(biz.id, Some(queued[1].id), 10).await.unwrap();
    assert_eq!(full.len(), 1);
    assert_eq!(full[0].email, receipts[0], "the receipt as composed, attachment included");
    let session = store.checkout_attempt("cs_ledger_1").await.unwrap().expect("the attempt");
    assert_eq!(session.status, AttemptStatus::Complete, "the paid attempt is complete");

    // Stripe delivers the same session again: nothing changes.
    let again = record_online_payment(store, biz.id, p2, &first, &receipts, t + 13).await.unwrap();
    assert_eq!(again, Online::AlreadyRecorded);
    assert_eq!(store.payments(biz.id, p2).await.unwrap().len(), 1);
    assert_eq!(store.invoice(biz.id, p2).await.unwrap().amount_paid, cents(10_000));
    assert_eq!(messages_of(store, biz.id, p2).await.len(), 2, "no second receipt");

    let rest = online_payment(&invoice, "cs_ledger_2", 14_000, 406, "2026-03-06");
    let outcome = record_online_payment(store, biz.id, p2, &rest, &receipts, t + 14).await.unwrap();
    assert_eq!(outcome, Online::Recorded { settled: true });
    let settled = store.invoice(biz.id, p2).await.unwrap();
    assert_eq!((settled.status, settled.amount_paid), (InvoiceStatus::Paid, cents(24_000)));
    assert_eq!(messages_of(store, biz.id, p2).await.len(), 4);

    // Money for a settled invoice is kept, counted and flagged for a refund; no receipt.
    let late = online_payment(&invoice, "cs_ledger_3", 5_000, 145, "2026-03-07");
    let outcome = record_online_payment(store, biz.id, p2, &late, &receipts, t + 15).await.unwrap();
    assert_eq!(outcome, Online::Duplicate);
    let over = store.invoice(biz.id, p2).await.unwrap();
    assert_eq!(
        (over.status, over.amount_paid, over.balance()),
        (InvoiceStatus::Paid, cents(29_000), cents(-5_000))
    );
    assert_eq!(messages_of(store, biz.id, p2).await.len(), 4, "no receipt for money that was not due");
    let again = record_online_payment(store, biz.id, p2, &late, &receipts, t + 16).await.unwrap();
    assert_eq!(again, Online::AlreadyRecorded, "a duplicate is recorded once too");

    let payments = store.payments(biz.id, p2).await.unwrap();
    assert_eq!(
        payments.iter().map(|p| (p.amount, p.fee, p.provider_session_id.clone())).collect::<Vec<_>>(),
        vec![
            (cents(10_000), cents(290), Some("cs_ledger_1".to_string())),
            (cents(14_000), cents(406), Some("cs_ledger_2".to_string())),
            (cents(5_000), cents(145), Some("cs_ledger_3".to_string())),
        ]
    );
    assert_eq!(
        (payments[0].method.as_str(), payments[0].provider_payment_id.as_deref(), payments[0].revenue_ht),
        ("online_card", Some("pi_cs_ledger_1"), first.revenue_ht)
    );
    let events = timeline(store, biz.id, p2).await;
    assert_eq!(
        events[2..],
        [
            HistoryEvent::OnlinePayment { amount_cents: 10_000, fee_cents: 290, date: "2026-03-05".into() },
            HistoryEvent::OnlinePayment { amount_cents: 14_000, fee_cents: 406, date: "2026-03-06".into() },
            HistoryEvent::DuplicatePayment { amount_cents: 5_000 },
        ]
    );
    // The duplicate can be given back.
    let back = RefundRecord::on(&invoice, cents(5_000), "transfer", "2026-03-08".into());
    assert!(record_refund(store, biz.id, p2, &back, t + 17).await.expect("record_refund"));
    let square = store.invoice(biz.id, p2).await.unwrap();
    assert_eq!(
        (square.status, square.amount_paid, square.balance()),
        (InvoiceStatus::Paid, cents(24_000), Money::ZERO)
    );

    // Refunds, once a credit note leaves a paid invoice over-paid.
    let (p4, n4) =
        issued(store, &biz, &client, "2026-04-01", "2026-05-01", "Maintenance", "100", t + 20).await;
    pay(store, biz.id, p4, 12_000, "transfer", "2026-04-02", t + 21).await;
    let note = credit(store, biz.id, p4, Some(client.id), "2026-04-10", "50", Money::ZERO, t + 22)
        .await
        .expect("issue_credit_note")
        .expect("a credit note on a paid invoice");
    let invoice = store.invoice(biz.id, p4).await.unwrap();
    assert_eq!(
        invoice.status,
        status_after_credit(InvoiceStatus::Paid, cents(12_000), cents(12_000), cents(6_000))
    );
    assert_eq!(
        (invoice.status, invoice.amount_credited, invoice.balance()),
        (InvoiceStatus::Paid, cents(6_000), cents(-6_000))
    );
    let refund = |amount: i64, date: &str| RefundRecord {
        credit_note_id: Some(note),
        ..RefundRecord::on(&invoice, cents(amount), "transfer", date.into())
    };
    assert!(
        !record_refund(store, biz.id, p4, &refund(6_001, "2026-04-11"), t + 23).await.unwrap(),
        "more than is owed"
    );
    assert_refused(
        record_refund(store, biz.id, p4, &refund(0, "2026-04-11"), t + 23).await,
        "a refund of nothing",
    );
    assert_refused(
        record_refund(store, other.id, p4, &refund(1_000, "2026-04-11"), t + 23).await,
        "another business",
    );
    assert_eq!(
        store.invoice(biz.id, p4).await.unwrap().amount_paid,
        cents(12_000),
        "refusals change nothing"
    );
    // Recorded after, given back before: the livre reads them by date.
    assert!(record_refund(store, biz.id, p4, &refund(2_000, "2026-04-12"), t + 24).await.unwrap());
    assert!(record_refund(store, biz.id, p4, &refund(4_000, "2026-04-11"), t + 25).await.unwrap());
    let refunded = store.invoice(biz.id, p4).await.unwrap();
    assert_eq!(
        (refunded.status, refunded.amount_paid, refunded.balance()),
        (InvoiceStatus::Paid, cents(6_000), Money::ZERO)
    );
    assert!(
        !record_refund(store, biz.id, p4, &refund(1, "2026-04-13"), t + 26).await.unwrap(),
        "nothing is owed"
    );
    assert_eq!(
        store.refunds(biz.id, p4).await.expect("refunds"),
        vec![refund(4_000, "2026-04-11"), refund(2_000, "2026-04-12")],
        "oldest first"
    );
    assert_nothing(store.refunds(other.id, p4).await, "another business reading refunds");
    let events = timeline(store, biz.id, p4).await;
    assert_eq!(events[0..2], [HistoryEvent::Created, HistoryEvent::Issued { number: n4 }]);
    assert_eq!(
        events[events.len() - 2..],
        [
            HistoryEvent::Refund {
                amount_cents: 2_000,
                method: "transfer".into(),
                date: "2026-04-12".into()
            },
            HistoryEvent::Refund {
                amount_cents: 4_000,
                method: "transfer".into(),
                date: "2026-04-11".into()
            },
        ]
    );
    // Nothing is owed back on an invoice merely paid.
    let nothing_owed = RefundRecord::on(&paid, cents(1), "transfer", "2026-04-14".into());
    assert!(!record_refund(store, biz.id, p1, &nothing_owed, t + 27).await.unwrap());
    assert!(store.refunds(biz.id, p1).await.unwrap().is_empty());

    // The store applies a change only to the invoice as it was read (compare-and-set): a change
    // computed from a stale read, or aimed at another business's invoice, writes nothing.
    let (p5, _) = issued(store, &biz, &client, "2026-04-20", "2026-05-20", "Audit", "100", t + 30).await;
    let read = store.invoice(biz.id, p5).await.unwrap();
    let stale = read.settlement().pay(cents(2_000)).expect("a payment that fits");
    let first = PaymentRecord::on(&read, cents(1_000), "cash", "2026-04-21".into());
    assert!(record_payment(store, biz.id, p5, &first, t + 31).await.unwrap());
    let second = PaymentRecord::on(&read, cents(2_000), "cash", "2026-04-21".into());
    assert!(!store.record_payment(biz.id, p5, &second, &stale, t + 32).await.unwrap(), "a stale change");
    let fresh = store.invoice(biz.id, p5).await.unwrap().settlement().pay(cents(2_000)).unwrap();
    assert!(
        !store.record_payment(other.id, p5, &second, &fresh, t + 33).await.unwrap(),
        "another business's invoice"
    );
    let stale_refund = fresh.to.refund(cents(1)).is_none();
    assert!(stale_refund, "nothing is owed back on an invoice not over-paid");
    let after = store.invoice(biz.id, p5).await.unwrap();
    assert_eq!((after.status, after.amount_paid), (InvoiceStatus::PartiallyPaid, cents(1_000)));
    assert_eq!(store.payments(biz.id, p5).await.unwrap().len(), 1, "refused changes write no payment");
    assert!(
        store.record_payment(biz.id, p5, &second, &fresh, t + 34).await.unwrap(),
        "the fresh change applies"
    );
    assert_eq!(store.invoice(biz.id, p5).await.unwrap().amount_paid, cents(3_000));
}
