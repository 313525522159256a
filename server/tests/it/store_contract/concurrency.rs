//! Chapter 10: real tasks racing on one store. Numbering, redeliveries, competing workers, and
//! a payment against a credit note must come out as if they had happened one after the other.

use super::fixtures::{
    business, buyer, cents, credit, draft, drain_inbox, drain_outbox, invoice_input, issue, issued,
    messages_of, online_payment, outgoing, person, start_of, stripe_event, timeline,
};
use super::fixtures::{queue_invoice_email, record_online_payment, record_payment, Online};
use app::domain::{status_after_credit, HistoryEvent, InvoiceStatus, ListFilter, Money};
use app::ports::{InvoiceQuery, InvoiceRecord, IssueRefusal, PaymentRecord, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::Barrier;

pub(super) async fn chapter(store: &Arc<dyn Store>) {
    let t = start_of(10);
    numbers_follow_dates(store, t).await;
    webhook_redelivery(store, t + 10_000).await;
    online_payment_redelivery(store, t + 20_000).await;
    competing_workers(store, t + 30_000).await;
    payment_against_credit(store, t + 40_000).await;
}

/// The sequence number of `F-2026-0007`.
fn sequence_of(number: &str) -> u32 {
    number.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("a number: {number}"))
}

/// 50 drafts of mixed dates issued at once: every call either numbers its draft or refuses it as
/// out of order; the numbers given are 1..=n, and follow the dates.
async fn numbers_follow_dates(store: &Arc<dyn Store>, t: i64) {
    const N: usize = 50;
    let biz = business(&**store, "numerotation-concurrente", t).await;
    let client = buyer(&**store, biz.id, &person("Client Pressé"), t).await;
    let mut drafts = Vec::new();
    for i in 0..N {
        let day = 1 + (i * 9) % 28;
        let content = invoice_input(
            client.id,
            &format!("2026-02-{day:02}"),
            &format!("2026-03-{day:02}"),
            &format!("Prestation {i}"),
            "10",
        );
        let id = draft(&**store, &biz, &client, &content, t + 1).await;
        drafts.push((id, content));
    }
    let latest = drafts.iter().map(|(_, c)| c.issue_date.clone()).max().expect("drafts");

    let barrier = Arc::new(Barrier::new(N));
    let mut tasks = Vec::new();
    for (id, content) in drafts {
        let (store, biz, client, barrier) =
            (Arc::clone(store), biz.clone(), client.clone(), Arc::clone(&barrier));
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let outcome = issue(&*store, &biz, id, &content, &client, t + 2).await;
            (id, content.issue_date, outcome)
        }));
    }
    let mut given = Vec::new();
    let mut refused = Vec::new();
    for task in tasks {
        let (id, date, outcome) = task.await.expect("an issuing task");
        match outcome.unwrap_or_else(|e| panic!("issuing draft {id} at once with others: {e:?}")) {
            Ok(number) => given.push((sequence_of(&number), date, id, number)),
            Err(IssueRefusal::OutOfOrder) => refused.push((id, date)),
            Err(IssueRefusal::NotDraft) => panic!("draft {id} was issued by someone else"),
        }
    }
    given.sort();
    let sequences: Vec<u32> = given.iter().map(|g| g.0).collect();
    let expected: Vec<u32> = (1..=u32::try_from(given.len()).unwrap()).collect();
    assert_eq!(sequences, expected, "every number once, no gap: {given:?}");
    assert!(given.iter().all(|g| g.3.starts_with("F-2026-")), "{given:?}");
    assert!(given.windows(2).all(|w| w[0].1 <= w[1].1), "numbers follow the dates: {given:?}");
    for (id, date) in &refused {
        assert!(date < &latest, "the latest date is never out of order, but draft {id} ({date}) was refused");
    }
    assert!(given.iter().any(|g| g.1 == latest), "the latest date was issued");

    // The store's own reads agree.
    for (_, date, id, number) in &given {
        let invoice = store.invoice(biz.id, *id).await.unwrap();
        assert_eq!(
            (invoice.status, invoice.number.as_deref()),
            (InvoiceStatus::Issued, Some(number.as_str()))
        );
        assert_eq!(&invoice.issue_date, date);
    }
    for (id, _) in &refused {
        let invoice = store.invoice(biz.id, *id).await.unwrap();
        assert_eq!((invoice.status, invoice.number), (InvoiceStatus::Draft, None));
    }
    let query = |filter: ListFilter| InvoiceQuery {
        filter,
        today: "2026-02-01".into(),
        limit: 200,
        ..InvoiceQuery::default()
    };
    let issued_page =
        store.list_invoices(biz.id, &query(ListFilter::Status(InvoiceStatus::Issued))).await.unwrap();
    assert_eq!(issued_page.count, given.len() as i64);
    let drafts_page =
        store.list_invoices(biz.id, &query(ListFilter::Status(InvoiceStatus::Draft))).await.unwrap();
    assert_eq!(drafts_page.count, refused.len() as i64);
}

/// The same webhook event delivered twice at once is kept once.
async fn webhook_redelivery(store: &Arc<dyn Store>, t: i64) {
    let mut tasks = Vec::new();
    for i in 0..20 {
        let event = stripe_event(
            &format!("evt_twice_{i:02}"),
            "connect",
            "checkout.session.completed",
            Some("acct_x"),
            "cs_x",
        );
        let barrier = Arc::new(Barrier::new(2));
        for _ in 0..2 {
            let (store, event, barrier) = (Arc::clone(store), event.clone(), Arc::clone(&barrier));
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let kept = store.store_stripe_event(&event, t).await;
                (event.id, kept)
            }));
        }
    }
    let mut kept: HashMap<String, usize> = HashMap::new();
    for task in tasks {
        let (id, stored) = task.await.expect("a storing task");
        let stored = stored.unwrap_or_else(|e| panic!("storing {id} twice at once: {e:?}"));
        *kept.entry(id).or_default() += usize::from(stored);
    }
    assert_eq!(kept.len(), 20);
    assert!(kept.values().all(|&n| n == 1), "each event kept exactly once: {kept:?}");
}

/// The same Checkout Session's payment recorded twice at once: recorded once, receipts once.
async fn online_payment_redelivery(store: &Arc<dyn Store>, t: i64) {
    let biz = business(&**store, "double-livraison", t).await;
    let client = buyer(&**store, biz.id, &person("Client Double"), t).await;
    let receipts = vec![
        outgoing(&["client@exemple.fr"], "Paiement reçu", true),
        outgoing(&["moi@exemple.fr"], "Payée", false),
    ];
    let mut races = Vec::new();
    for i in 0..10 {
        let (id, _) = issued(
            &**store,
            &biz,
            &client,
            "2026-04-01",
            "2026-05-01",
            &format!("Commande {i}"),
            "100",
            t + i,
        )
        .await;
        let invoice = store.invoice(biz.id, id).await.unwrap();
        let payment = online_payment(&invoice, &format!("cs_twice_{i}"), 12_000, 348, "2026-04-02");
        let barrier = Arc::new(Barrier::new(2));
        let mut pair = Vec::new();
        for _ in 0..2 {
            let (store, payment, receipts, barrier) =
                (Arc::clone(store), payment.clone(), receipts.clone(), Arc::clone(&barrier));
            let business_id = biz.id;
            pair.push(tokio::spawn(async move {
                barrier.wait().await;
                record_online_payment(&*store, business_id, id, &payment, &receipts, t + 100).await
            }));
        }
        races.push((id, pair));
    }
    for (id, pair) in races {
        let mut outcomes = Vec::new();
        for task in pair {
            let outcome = task.await.expect("a recording task");
            outcomes.push(
                outcome.unwrap_or_else(|e| panic!("recording invoice {id}'s payment twice at once: {e:?}")),
            );
        }
        let recorded = outcomes.iter().filter(|o| **o == Online::Recorded { settled: true }).count();
        let already = outcomes.iter().filter(|o| **o == Online::AlreadyRecorded).count();
        assert_eq!((recorded, already), (1, 1), "invoice {id}: {outcomes:?}");
        assert_eq!(store.payments(biz.id, id).await.unwrap().len(), 1, "invoice {id}: one payment");
        let invoice = store.invoice(biz.id, id).await.unwrap();
        assert_eq!(
            (invoice.status, invoice.amount_paid),
            (InvoiceStatus::Paid, cents(12_000)),
            "invoice {id}"
        );
        assert_eq!(
            messages_of(&**store, biz.id, id).await.len(),
            receipts.len(),
            "invoice {id}: receipts once"
        );
    }
}

/// Two workers claim the outbox, two the webhook inbox, until both are empty: each of the 40
/// messages and 40 events is taken exactly once.
async fn competing_workers(store: &Arc<dyn Store>, t: i64) {
    const ITEMS: usize = 40;
    drain_outbox(&**store, t).await;
    drain_inbox(&**store, t).await;
    let biz = business(&**store, "travailleurs", t).await;
    let client = buyer(&**store, biz.id, &person("Client Relancé"), t).await;
    let (invoice, _) =
        issued(&**store, &biz, &client, "2026-04-01", "2026-05-01", "Relances", "100", t + 1).await;
    for i in 0..ITEMS {
        let mail = outgoing(&["compta@client.fr"], &format!("Relance {i}"), false);
        assert!(queue_invoice_email(&**store, biz.id, invoice, &mail, t + 2).await.unwrap());
        let event =
            stripe_event(&format!("evt_worker_{i:02}"), "platform", "account.updated", None, "acct_w");
        assert!(store.store_stripe_event(&event, t + 2).await.unwrap());
    }
    let mut messages: Vec<i64> = messages_of(&**store, biz.id, invoice).await.iter().map(|m| m.id).collect();
    messages.sort_unstable();
    assert_eq!(messages.len(), ITEMS);

    let now = t + 100;
    let mut mail_workers = Vec::new();
    let mut event_workers = Vec::new();
    let barrier = Arc::new(Barrier::new(4));
    for _ in 0..2 {
        let (mail_store, mail_barrier) = (Arc::clone(store), Arc::clone(&barrier));
        mail_workers.push(tokio::spawn(async move {
            mail_barrier.wait().await;
            let mut taken = Vec::new();
            loop {
                let batch = mail_store.claim_due_emails(now, now + 3_600, 3).await.expect("claim_due_emails");
                if batch.is_empty() {
                    break taken;
                }
                taken.extend(batch.into_iter().map(|m| m.id));
                tokio::task::yield_now().await;
            }
        }));
        let (store, barrier) = (Arc::clone(store), Arc::clone(&barrier));
        event_workers.push(tokio::spawn(async move {
            barrier.wait().await;
            let mut taken = Vec::new();
            loop {
                let batch =
                    store.claim_stripe_events(now, now + 3_600, 3).await.expect("claim_stripe_events");
                if batch.is_empty() {
                    break taken;
                }
                taken.extend(batch.into_iter().map(|e| e.id));
                tokio::task::yield_now().await;
            }
        }));
    }
    let mut mails = Vec::new();
    for worker in mail_workers {
        let taken: Vec<i64> = worker.await.expect("a mail worker");
        mails.extend(taken);
    }
    mails.sort_unstable();
    assert_eq!(mails, messages, "each message taken exactly once");
    let mut events = Vec::new();
    for worker in event_workers {
        events.extend(worker.await.expect("an event worker"));
    }
    events.sort();
    let expected: Vec<String> = (0..ITEMS).map(|i| format!("evt_worker_{i:02}")).collect();
    assert_eq!(events, expected, "each event taken exactly once");
    let unique: HashSet<&String> = events.iter().collect();
    assert_eq!(unique.len(), ITEMS);
    for id in &mails {
        store.email_sent(*id, now + 1).await.expect("email_sent");
    }
    for id in &events {
        store.stripe_event_applied(id, now + 1).await.expect("stripe_event_applied");
    }
}

/// What an invoice's stored status must be once `paid` and `credited`, the payment having come
/// first when there is one (a payment after the credit must have fitted what was left).
fn expected_status(invoice: &InvoiceRecord) -> InvoiceStatus {
    let (total, paid, credited) = (invoice.total_ttc, invoice.amount_paid, invoice.amount_credited);
    if paid == Money::ZERO {
        status_after_credit(InvoiceStatus::Issued, total, paid, credited)
    } else {
        let after_payment = if paid >= total { InvoiceStatus::Paid } else { InvoiceStatus::PartiallyPaid };
        status_after_credit(after_payment, total, paid, credited)
    }
}

/// A payment by hand and a credit note racing on one invoice, 20 times: each outcome is one of
/// the two orders, never a mix (a payment checked against a stale amount credited, or a status
/// computed from a stale amount paid).
async fn payment_against_credit(store: &Arc<dyn Store>, t: i64) {
    let biz = business(&**store, "course-avoir", t).await;
    let client = buyer(&**store, biz.id, &person("Client Hésitant"), t).await;
    for round in 0..20_i64 {
        // Even rounds: 90 € paid against 60 € credited (the payment fits only if it comes first).
        // Odd rounds: 50 € paid against the whole 120 € credited (the credit cancels the invoice).
        let (pay_cents, credit_price, credit_cents) =
            if round % 2 == 0 { (9_000, "50", 6_000) } else { (5_000, "100", 12_000) };
        let (id, _) = issued(
            &**store,
            &biz,
            &client,
            "2026-05-01",
            "2026-05-31",
            &format!("Course {round}"),
            "100",
            t + round,
        )
        .await;
        let invoice = store.invoice(biz.id, id).await.unwrap();
        let payment = PaymentRecord::on(&invoice, cents(pay_cents), "transfer", "2026-05-10".into());
        let barrier = Arc::new(Barrier::new(2));
        let now = t + 1_000 + round;
        let (business_id, client_id) = (biz.id, client.id);
        let paying = {
            let (store, barrier) = (Arc::clone(store), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                record_payment(&*store, business_id, id, &payment, now).await
            })
        };
        let crediting = {
            let (store, barrier) = (Arc::clone(store), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                credit(
                    &*store,
                    business_id,
                    id,
                    Some(client_id),
                    "2026-05-12",
                    credit_price,
                    Money::ZERO,
                    now,
                )
                .await
            })
        };
        let paid =
            paying.await.expect("a paying task").unwrap_or_else(|e| panic!("round {round}, paying: {e:?}"));
        let credited = crediting
            .await
            .expect("a crediting task")
            .unwrap_or_else(|e| panic!("round {round}, crediting: {e:?}"));

        let after = store.invoice(biz.id, id).await.unwrap();
        assert!(credited.is_some(), "round {round}: the credit never depends on payments");
        assert_eq!(after.amount_credited, cents(credit_cents), "round {round}");
        assert_eq!(
            after.amount_paid,
            if paid { cents(pay_cents) } else { Money::ZERO },
            "round {round}: {after:?}"
        );
        let payments: Money = store.payments(biz.id, id).await.unwrap().iter().map(|p| p.amount).sum();
        assert_eq!(payments, after.amount_paid, "round {round}: payments and amount paid agree");
        assert!(after.amount_paid <= after.total_ttc, "round {round}: {after:?}");
        assert_eq!(
            after.status,
            expected_status(&after),
            "round {round}: status and amounts disagree: {after:?}"
        );
        // The timeline tells the order: a payment recorded after the credit must have fitted.
        let events = timeline(&**store, biz.id, id).await;
        let payment_at = events.iter().position(|e| matches!(e, HistoryEvent::Payment { .. }));
        let credit_at = events
            .iter()
            .position(|e| matches!(e, HistoryEvent::Credited { .. }))
            .unwrap_or_else(|| panic!("round {round}: the credit is not on the timeline: {events:?}"));
        assert_eq!(payment_at.is_some(), paid, "round {round}: {events:?}");
        if payment_at.is_some_and(|payment_at| payment_at > credit_at) {
            assert!(
                after.amount_paid <= after.total_ttc - after.amount_credited,
                "round {round}: a payment recorded after the credit overpays: {after:?}, {events:?}"
            );
        }
        if round % 2 == 1 {
            assert_eq!(after.status, InvoiceStatus::Cancelled, "round {round}");
        }
    }
}
