//! Chapter 12: automatic reminders: each business's policy, the worker's scan, « Ne pas relancer
//! cette facture », and the one record per invoice and step that makes a step go out once.

use super::fixtures::{
    assert_not_found, business, buyer, company, issued, outgoing, pay, start_of, timeline,
};
use app::domain::reminders::ReminderPolicy;
use app::domain::HistoryEvent;
use app::ports::{InvoiceId, SentReminder, Store};

async fn candidates(store: &dyn Store, business_id: i64, due_by: &str) -> Vec<(InvoiceId, Vec<i64>)> {
    let mut found = Vec::new();
    let mut after = 0;
    loop {
        let page = store.reminder_candidates(due_by, after, 2).await.expect("reminder_candidates");
        let Some(last) = page.last() else { break };
        after = last.invoice_id;
        found.extend(page.into_iter().filter(|c| c.business_id == business_id).map(|c| {
            let mut sent = c.sent;
            sent.sort_unstable();
            (c.invoice_id, sent)
        }));
    }
    found
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(12);
    let biz = business(store, "relances", t).await;
    let other = business(store, "relances-voisins", t).await;
    let client = buyer(store, biz.id, &company("Client Relancé", "compta@client.fr"), t).await;

    // A new business starts with the default policy, on; a saved one reads back.
    assert_eq!(store.reminder_policy(biz.id).await.unwrap(), ReminderPolicy::default());
    let policy = ReminderPolicy::new(true, &[-5, 2]).unwrap();
    store.save_reminder_policy(biz.id, &policy).await.expect("save_reminder_policy");
    assert_eq!(store.reminder_policy(biz.id).await.unwrap(), policy);
    assert_eq!(store.reminder_policy(other.id).await.unwrap(), ReminderPolicy::default(), "its own");

    let (late, _) = issued(store, &biz, &client, "2026-06-01", "2026-07-01", "En retard", "100", t + 1).await;
    let (later, _) =
        issued(store, &biz, &client, "2026-06-02", "2026-07-30", "Plus tard", "100", t + 2).await;
    let (paid, _) = issued(store, &biz, &client, "2026-06-03", "2026-07-03", "Payée", "100", t + 3).await;
    pay(store, biz.id, paid, 12_000, "transfer", "2026-06-04", t + 4).await;

    // The scan: unpaid invoices due by the date asked, paid ones left out.
    assert_eq!(candidates(store, biz.id, "2026-07-15").await, vec![(late, vec![])]);
    assert_eq!(candidates(store, biz.id, "2026-12-31").await, vec![(late, vec![]), (later, vec![])]);

    // A step is queued once, with its e-mail and timeline entry, only while the invoice stands
    // as read.
    let expected = store.invoice(biz.id, late).await.unwrap().settlement();
    let mail = outgoing(&["compta@client.fr"], "Relance", true);
    assert!(store.queue_reminder(biz.id, late, 2, &mail, &expected, t + 10).await.expect("queue_reminder"));
    assert!(!store.queue_reminder(biz.id, late, 2, &mail, &expected, t + 11).await.unwrap(), "once per step");
    let sent = store.invoice_reminders(biz.id, late).await.unwrap();
    assert_eq!((sent.stopped, sent.sent), (false, vec![SentReminder { days: 2, sent_at: t + 10 }]));
    assert_eq!(
        timeline(store, biz.id, late).await.last(),
        Some(&HistoryEvent::Reminder { step: "J+2".into(), to: "compta@client.fr".into() })
    );
    let queued = store.outbox(biz.id, None, 10).await.unwrap();
    assert_eq!((queued.len(), queued[0].invoice_id), (1, Some(late)));
    assert_eq!(candidates(store, biz.id, "2026-07-15").await, vec![(late, vec![2])]);
    let stale = store.invoice(biz.id, later).await.unwrap().settlement();
    pay(store, biz.id, later, 1_000, "transfer", "2026-06-05", t + 12).await;
    assert!(!store.queue_reminder(biz.id, later, -5, &mail, &stale, t + 13).await.unwrap(), "paid meanwhile");
    assert!(store.invoice_reminders(biz.id, later).await.unwrap().sent.is_empty());

    // « Ne pas relancer cette facture »: out of the scan, and nothing queued for it.
    store.set_invoice_reminders(biz.id, late, false).await.expect("set_invoice_reminders");
    assert!(store.invoice_reminders(biz.id, late).await.unwrap().stopped);
    assert!(candidates(store, biz.id, "2026-07-15").await.is_empty());
    assert!(!store.queue_reminder(biz.id, late, 9, &mail, &expected, t + 14).await.unwrap(), "stopped");
    store.set_invoice_reminders(biz.id, late, true).await.unwrap();
    assert_eq!(candidates(store, biz.id, "2026-07-15").await, vec![(late, vec![2])]);

    // A business with its reminders off is out of the scan.
    store.save_reminder_policy(biz.id, &ReminderPolicy { enabled: false, ..policy }).await.unwrap();
    assert!(candidates(store, biz.id, "2026-12-31").await.is_empty());

    // Another business reaches none of it.
    assert_not_found(store.set_invoice_reminders(other.id, late, false).await, "another business's invoice");
    assert_not_found(store.invoice_reminders(other.id, late).await, "another business's reminders");
    assert!(!store.queue_reminder(other.id, late, 30, &mail, &expected, t + 15).await.unwrap());
}
