//! Chapter 6: the outbox: sending an invoice, the « Boîte d'envoi », and the worker's claims
//! with their leases, deliveries, failures and retries.

use super::fixtures::queue_invoice_email;
use super::fixtures::{
    assert_not_found, assert_refused, business, buyer, credit, draft, drain_outbox, invoice_input, issued,
    outgoing, pay, person, start_of, timeline,
};
use app::domain::{HistoryEvent, InvoiceStatus, Money};
use app::ports::{OutboxRecord, Store};

fn ids(messages: &[OutboxRecord]) -> Vec<i64> {
    let mut ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    ids.sort_unstable();
    ids
}

async fn claim(store: &dyn Store, now: i64, lease_until: i64, limit: i64) -> Vec<OutboxRecord> {
    let mut claimed = store.claim_due_emails(now, lease_until, limit).await.expect("claim_due_emails");
    claimed.sort_by_key(|m| m.id);
    claimed
}

async fn message(store: &dyn Store, business_id: i64, id: i64) -> OutboxRecord {
    let mut found = store.outbox(business_id, Some(id), 10).await.expect("outbox");
    assert_eq!(found.len(), 1, "message {id}");
    found.remove(0)
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(6);
    drain_outbox(store, t).await;
    let biz = business(store, "envois", t).await;
    let other = business(store, "envois-voisins", t).await;
    let client = buyer(store, biz.id, &person("Client Courriel"), t).await;
    let (o1, number) =
        issued(store, &biz, &client, "2026-05-04", "2026-06-03", "Site vitrine", "100", t + 1).await;
    let od = draft(
        store,
        &biz,
        &client,
        &invoice_input(client.id, "2026-05-05", "2026-06-04", "Brouillon", "10"),
        t + 2,
    )
    .await;

    // Sending: only an invoice with a number, only by its business; it is then « envoyée ».
    let mail = outgoing(&["compta@client.fr", "dg@client.fr"], &format!("Facture {number}"), true);
    assert!(!queue_invoice_email(store, biz.id, od, &mail, t + 10).await.unwrap(), "a draft cannot be sent");
    assert_refused(
        queue_invoice_email(store, other.id, o1, &mail, t + 10).await,
        "another business's invoice",
    );
    assert!(store.outbox(biz.id, None, 50).await.unwrap().is_empty(), "nothing queued");
    assert_eq!(store.invoice(biz.id, o1).await.unwrap().status, InvoiceStatus::Issued);
    assert!(queue_invoice_email(store, biz.id, o1, &mail, t + 10).await.expect("queue_invoice_email"));
    assert_eq!(store.invoice(biz.id, o1).await.unwrap().status, InvoiceStatus::Sent);
    let history = store.history(biz.id, o1).await.unwrap();
    let last = history.last().expect("a timeline");
    assert_eq!(
        (last.at, &last.event),
        (t + 10, &HistoryEvent::Sent { to: "compta@client.fr, dg@client.fr".into() })
    );
    let reminder = outgoing(&["compta@client.fr"], "Rappel", false);
    assert!(queue_invoice_email(store, biz.id, o1, &reminder, t + 20).await.unwrap());
    assert_eq!(store.invoice(biz.id, o1).await.unwrap().status, InvoiceStatus::Sent);

    // A paid invoice can be sent again (a copy) and stays paid; a cancelled one cannot.
    let (paid, _) = issued(store, &biz, &client, "2026-05-06", "2026-06-05", "Payée", "50", t + 30).await;
    pay(store, biz.id, paid, 6_000, "cash", "2026-05-06", t + 31).await;
    let copy = outgoing(&["compta@client.fr"], "Copie de votre facture acquittée", true);
    assert!(queue_invoice_email(store, biz.id, paid, &copy, t + 32).await.unwrap());
    assert_eq!(store.invoice(biz.id, paid).await.unwrap().status, InvoiceStatus::Paid);
    let (cancelled, _) =
        issued(store, &biz, &client, "2026-05-07", "2026-06-06", "Annulée", "10", t + 33).await;
    credit(store, biz.id, cancelled, Some(client.id), "2026-05-08", "10", Money::ZERO, t + 34)
        .await
        .expect("issue_credit_note")
        .expect("a full credit note");
    assert_eq!(store.invoice(biz.id, cancelled).await.unwrap().status, InvoiceStatus::Cancelled);
    assert!(
        !queue_invoice_email(store, biz.id, cancelled, &copy, t + 35).await.unwrap(),
        "a cancelled invoice"
    );
    assert!(timeline(store, biz.id, cancelled).await.iter().all(|e| !matches!(e, HistoryEvent::Sent { .. })));

    // The « Boîte d'envoi »: newest first, without bodies unless one message is asked for.
    let listed = store.outbox(biz.id, None, 50).await.expect("outbox");
    assert_eq!(
        listed.iter().map(|m| (m.email.subject.as_str(), m.invoice_id, m.created_at)).collect::<Vec<_>>(),
        vec![
            ("Copie de votre facture acquittée", Some(paid), t + 32),
            ("Rappel", Some(o1), t + 20),
            (mail.subject.as_str(), Some(o1), t + 10),
        ]
    );
    for m in &listed {
        assert_eq!(
            (m.status.code(), m.attempts, m.last_error.as_deref(), m.sent_at),
            ("queued", 0, None, None)
        );
        assert!(m.email.text_body.is_empty() && m.email.html_body.is_empty(), "no bodies in the list");
        assert!(m.email.attachment.is_none(), "no attachment in the list");
    }
    assert_eq!(
        (listed[2].email.recipients.clone(), listed[2].email.reply_to.as_str()),
        (mail.recipients.clone(), "contact@exemple.fr")
    );
    let (m_copy, m_reminder, m_mail) = (listed[0].id, listed[1].id, listed[2].id);
    assert_eq!(message(store, biz.id, m_mail).await.email, mail, "one message, whole");
    assert_eq!(message(store, biz.id, m_reminder).await.email, reminder);
    let newest = store.outbox(biz.id, None, 1).await.unwrap();
    assert_eq!(newest.iter().map(|m| m.id).collect::<Vec<_>>(), vec![m_copy], "limit");
    assert!(store.outbox(other.id, Some(m_mail), 50).await.unwrap().is_empty(), "another business's message");
    assert!(store.outbox(other.id, None, 50).await.unwrap().is_empty());

    // Claims: due messages only, leased so that nobody else takes them meanwhile.
    assert!(claim(store, t + 5, t + 65, 10).await.is_empty(), "nothing was due yet");
    let c = t + 100;
    let claimed = claim(store, c, c + 60, 10).await;
    let mut expected = vec![m_mail, m_reminder, m_copy];
    expected.sort_unstable();
    assert_eq!(ids(&claimed), expected);
    assert!(claimed.iter().all(|m| m.attempts == 1 && m.status == app::ports::OutboxStatus::Queued));
    let whole = claimed.iter().find(|m| m.id == m_mail).expect("the invoice's e-mail");
    assert_eq!(whole.email, mail, "the worker gets bodies and attachment");
    assert_eq!((whole.business_id, whole.invoice_id), (biz.id, Some(o1)));
    assert!(claim(store, c + 59, c + 119, 10).await.is_empty(), "leased until c + 60");
    let reclaimed = claim(store, c + 61, c + 200, 10).await;
    assert_eq!(ids(&reclaimed), expected, "a lease that ran out is taken again");
    assert!(reclaimed.iter().all(|m| m.attempts == 2));

    // Delivered, failed with a retry, failed for good.
    store.email_sent(m_mail, c + 70).await.expect("email_sent");
    let sent = message(store, biz.id, m_mail).await;
    assert_eq!((sent.status.code(), sent.sent_at, sent.last_error), ("sent", Some(c + 70), None));
    store.email_failed(m_reminder, "451 4.7.1 try again later", Some(c + 400)).await.expect("email_failed");
    let waiting = message(store, biz.id, m_reminder).await;
    assert_eq!(
        (waiting.status.code(), waiting.last_error.as_deref()),
        ("queued", Some("451 4.7.1 try again later"))
    );
    store.email_failed(m_copy, "550 5.1.1 no such user", None).await.expect("email_failed");
    let failed = message(store, biz.id, m_copy).await;
    assert_eq!(
        (failed.status.code(), failed.last_error.as_deref()),
        ("failed", Some("550 5.1.1 no such user"))
    );
    assert_eq!(failed.sent_at, None);
    assert!(claim(store, c + 399, c + 459, 10).await.is_empty(), "the retry is not due yet");
    let retried = claim(store, c + 400, c + 460, 10).await;
    assert_eq!(ids(&retried), vec![m_reminder], "due again at its retry time");
    assert_eq!(retried[0].attempts, 3);
    store.email_sent(m_reminder, c + 401).await.expect("email_sent");
    assert!(
        claim(store, c + 100_000, c + 100_060, 10).await.is_empty(),
        "sent or given up: never taken again"
    );

    // Retrying a message given up on queues it again, from scratch; only that.
    assert_not_found(store.retry_email(other.id, m_copy, c + 500).await, "another business's message");
    assert_not_found(store.retry_email(biz.id, m_mail, c + 500).await, "a sent message");
    store.retry_email(biz.id, m_copy, c + 500).await.expect("retry_email");
    let requeued = message(store, biz.id, m_copy).await;
    assert_eq!((requeued.status.code(), requeued.attempts), ("queued", 0));
    assert_not_found(store.retry_email(biz.id, m_copy, c + 501).await, "a message already queued");
    let back = claim(store, c + 500, c + 560, 10).await;
    assert_eq!(ids(&back), vec![m_copy]);
    assert_eq!(back[0].attempts, 1);
    assert_eq!(back[0].email, copy);
    store.email_sent(m_copy, c + 501).await.expect("email_sent");

    // Past their retention, delivered messages keep who, what and when, not their texts.
    // (Other chapters' delivered messages are emptied too: the sweep spans every business.)
    let emptied = store.forget_delivered_bodies(c + 402).await.expect("forget_delivered_bodies");
    assert!(emptied >= 2, "the two delivered before c + 402: {emptied}");
    let emptied = message(store, biz.id, m_mail).await;
    assert_eq!((emptied.email.text_body.as_str(), emptied.email.html_body.as_str()), ("", ""));
    assert_eq!((&emptied.email.subject, &emptied.email.recipients), (&mail.subject, &mail.recipients));
    assert_eq!(message(store, biz.id, m_copy).await.email, copy, "delivered later: still whole");
    assert_eq!(store.forget_delivered_bodies(c + 402).await.unwrap(), 0, "once");

    // At most `limit` at a time.
    let r1 = outgoing(&["compta@client.fr"], "Relance 1", false);
    let r2 = outgoing(&["compta@client.fr"], "Relance 2", false);
    assert!(queue_invoice_email(store, biz.id, o1, &r1, c + 600).await.unwrap());
    assert!(queue_invoice_email(store, biz.id, o1, &r2, c + 601).await.unwrap());
    let one = claim(store, c + 700, c + 760, 1).await;
    let another = claim(store, c + 700, c + 760, 1).await;
    assert_eq!((one.len(), another.len()), (1, 1));
    assert_ne!(one[0].id, another[0].id);
    assert!(claim(store, c + 700, c + 760, 1).await.is_empty());
    for m in one.iter().chain(&another) {
        store.email_sent(m.id, c + 701).await.expect("email_sent");
    }
}
