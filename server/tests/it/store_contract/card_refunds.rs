//! Chapter 13: refunds to a client's card: asked, then settled once however often the webhook
//! comes, or failed; another business's refund is not reachable through its invoice.

use super::fixtures::{business, buyer, cents, company, credit, issued, pay, start_of, timeline};
use app::domain::HistoryEvent;
use app::ports::{CardRefund, CardRefundStatus, OnlinePaymentOutcome, RefundRecord, Store};

fn asked(id: &str, business_id: i64, invoice_id: i64, amount: i64, at: i64) -> CardRefund {
    CardRefund {
        id: id.into(),
        business_id,
        invoice_id,
        payment_intent: "pi_contract".into(),
        amount: cents(amount),
        fee: cents(amount * 29 / 1_000),
        status: CardRefundStatus::Pending,
        failure_reason: None,
        requested_at: at,
    }
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(13);
    let biz = business(store, "remboursements-carte", t).await;
    let other = business(store, "remboursements-voisins", t).await;
    let client = buyer(store, biz.id, &company("Client Remboursé", "compta@client.fr"), t).await;
    let (id, _) = issued(store, &biz, &client, "2026-06-01", "2026-07-01", "Prestation", "100", t + 1).await;
    pay(store, biz.id, id, 12_000, "transfer", "2026-06-02", t + 2).await;
    credit(store, biz.id, id, Some(client.id), "2026-06-03", "100", cents(0), t + 3)
        .await
        .expect("issue_credit_note")
        .expect("a full credit note");

    // Asked twice (a double click): one record.
    let first = asked("re_contract_1", biz.id, id, 3_000, t + 10);
    store.add_card_refund(&first, t + 10).await.expect("add_card_refund");
    store.add_card_refund(&first, t + 11).await.expect("the same refund again");
    assert_eq!(store.card_refunds(biz.id, id).await.unwrap(), vec![first.clone()]);
    assert!(store.card_refunds(other.id, id).await.unwrap().is_empty(), "another business's");
    assert_eq!(store.card_refund("re_contract_1").await.unwrap(), Some(first.clone()));

    // Settled once: the negative line and the invoice's change, then nothing more.
    let invoice = store.invoice(biz.id, id).await.unwrap();
    let change = invoice.settlement().refund(cents(3_000)).expect("owed");
    let line = RefundRecord::on(&invoice, cents(3_000), "online_card", "2026-06-05".into());
    let settled = store.settle_card_refund("re_contract_1", &line, &change, &[], t + 20).await.unwrap();
    assert_eq!(settled, OnlinePaymentOutcome::Recorded);
    let again = store.settle_card_refund("re_contract_1", &line, &change, &[], t + 21).await.unwrap();
    assert_eq!(again, OnlinePaymentOutcome::AlreadyRecorded);
    assert_eq!(store.refunds(biz.id, id).await.unwrap().len(), 1);
    assert_eq!(store.invoice(biz.id, id).await.unwrap().amount_paid, cents(9_000));
    assert_eq!(store.card_refunds(biz.id, id).await.unwrap()[0].status, CardRefundStatus::Succeeded);
    assert!(
        !store.fail_card_refund("re_contract_1", "trop tard", t + 22).await.unwrap(),
        "settled stays settled"
    );

    // A second one fails: noted on the timeline, no money moves, and it cannot settle later.
    let second = asked("re_contract_2", biz.id, id, 2_000, t + 30);
    store.add_card_refund(&second, t + 30).await.unwrap();
    assert!(store.fail_card_refund("re_contract_2", "carte expirée ou résiliée", t + 31).await.unwrap());
    assert!(!store.fail_card_refund("re_contract_2", "carte expirée ou résiliée", t + 32).await.unwrap());
    let failed = store.card_refund("re_contract_2").await.unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.failure_reason.as_deref()),
        (CardRefundStatus::Failed, Some("carte expirée ou résiliée"))
    );
    assert_eq!(
        timeline(store, biz.id, id).await.last(),
        Some(&HistoryEvent::CardRefundFailed {
            amount_cents: 2_000,
            reason: "carte expirée ou résiliée".into()
        })
    );
    let invoice = store.invoice(biz.id, id).await.unwrap();
    let change = invoice.settlement().refund(cents(2_000)).expect("still owed");
    let line = RefundRecord::on(&invoice, cents(2_000), "online_card", "2026-06-06".into());
    let late = store.settle_card_refund("re_contract_2", &line, &change, &[], t + 33).await.unwrap();
    assert_eq!(late, OnlinePaymentOutcome::AlreadyRecorded, "a failed refund never settles");
    assert_eq!(store.invoice(biz.id, id).await.unwrap().amount_paid, cents(9_000));
    assert!(store.card_refund("re_missing").await.unwrap().is_none());
}
