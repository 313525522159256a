//! Chapter 7: the Stripe webhook inbox: each event kept once, leased to one worker at a time,
//! retried when it failed, set aside when it kept failing, never again once applied, forgotten
//! once applied long enough ago.

use super::fixtures::{drain_inbox, start_of, stripe_event};
use app::ports::{Store, StripeEvent};

async fn claim(store: &dyn Store, now: i64, lease_until: i64, limit: i64) -> Vec<StripeEvent> {
    let mut claimed = store.claim_stripe_events(now, lease_until, limit).await.expect("claim_stripe_events");
    claimed.sort_by(|a, b| a.id.cmp(&b.id));
    claimed
}

fn tried(event: &StripeEvent, attempts: i64) -> StripeEvent {
    StripeEvent { attempts, ..event.clone() }
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(7);
    drain_inbox(store, t).await;
    let e1 = stripe_event("evt_contract_1", "connect", "checkout.session.completed", Some("acct_1"), "cs_1");
    let e2 = stripe_event("evt_contract_2", "connect", "account.updated", Some("acct_2"), "acct_2");
    let e3 = stripe_event("evt_contract_3", "platform", "checkout.session.expired", None, "cs_3");

    // Kept once: a redelivery, even a different one under the same id, is not.
    assert!(store.store_stripe_event(&e1, t + 10).await.expect("store_stripe_event"));
    assert!(!store.store_stripe_event(&e1, t + 11).await.unwrap(), "the same event twice");
    let same_id =
        StripeEvent { event_type: "payment_intent.succeeded".into(), object_id: "pi_9".into(), ..e1.clone() };
    assert!(!store.store_stripe_event(&same_id, t + 12).await.unwrap(), "the same id twice");
    assert!(store.store_stripe_event(&e2, t + 20).await.unwrap());
    assert!(store.store_stripe_event(&e3, t + 30).await.unwrap());

    // Claims: due events only, leased.
    assert!(claim(store, t + 5, t + 65, 10).await.is_empty(), "not due before it arrived");
    let c = t + 100;
    assert_eq!(claim(store, c, c + 60, 10).await, vec![tried(&e1, 1), tried(&e2, 1), tried(&e3, 1)]);
    assert!(claim(store, c + 59, c + 119, 10).await.is_empty(), "leased until c + 60");

    // Applied: never again. Failed: again at its retry time.
    store.stripe_event_applied(&e1.id, c + 10).await.expect("stripe_event_applied");
    store
        .stripe_event_failed(&e2.id, "no such account", Some(c + 300), c + 60)
        .await
        .expect("stripe_event_failed");
    assert_eq!(claim(store, c + 61, c + 121, 10).await, vec![tried(&e3, 2)], "e3's lease ran out");
    store.stripe_event_applied(&e3.id, c + 70).await.expect("stripe_event_applied");
    assert!(claim(store, c + 299, c + 359, 10).await.is_empty(), "e2 waits for its retry");
    assert_eq!(claim(store, c + 300, c + 360, 10).await, vec![tried(&e2, 2)], "due again at its retry time");
    store.stripe_event_applied(&e2.id, c + 301).await.expect("stripe_event_applied");
    assert!(
        claim(store, c + 100_000, c + 100_060, 10).await.is_empty(),
        "applied events are never taken again"
    );
    assert!(!store.store_stripe_event(&e1, c + 100_001).await.unwrap(), "still known once applied");

    // At most `limit` at a time.
    let more: Vec<StripeEvent> = (4..=6)
        .map(|i| {
            stripe_event(&format!("evt_contract_{i}"), "platform", "checkout.session.completed", None, "cs")
        })
        .collect();
    for (i, event) in more.iter().enumerate() {
        assert!(store.store_stripe_event(event, c + 400 + i as i64).await.unwrap());
    }
    let first = claim(store, c + 500, c + 560, 2).await;
    let rest = claim(store, c + 500, c + 560, 2).await;
    assert_eq!((first.len(), rest.len()), (2, 1));
    let mut taken: Vec<String> = first.iter().chain(&rest).map(|e| e.id.clone()).collect();
    taken.sort();
    assert_eq!(taken, vec!["evt_contract_4", "evt_contract_5", "evt_contract_6"]);
    for id in &taken {
        store.stripe_event_applied(id, c + 501).await.expect("stripe_event_applied");
    }
    assert!(claim(store, c + 100_000, c + 100_060, 10).await.is_empty());

    // An event that kept failing is set aside: never taken again, listed for the operator.
    let stubborn = stripe_event(
        "evt_contract_stubborn",
        "connect",
        "checkout.session.completed",
        Some("acct_9"),
        "cs_9",
    );
    assert!(store.store_stripe_event(&stubborn, c + 600).await.unwrap());
    assert_eq!(claim(store, c + 600, c + 660, 10).await.len(), 1);
    assert!(store.set_aside_stripe_events(10).await.unwrap().is_empty());
    store
        .stripe_event_failed(&stubborn.id, "10th failure", None, c + 610)
        .await
        .expect("stripe_event_failed");
    assert!(claim(store, c + 200_000, c + 200_060, 10).await.is_empty(), "a set-aside event is not retried");
    let aside = store.set_aside_stripe_events(10).await.expect("set_aside_stripe_events");
    assert_eq!(
        aside,
        vec![app::ports::SetAsideEvent {
            event: tried(&stubborn, 1),
            last_error: Some("10th failure".into()),
            set_aside_at: c + 610
        }]
    );

    // Applied events are forgotten once old enough; pending and set-aside ones never.
    let pending = stripe_event("evt_contract_pending", "platform", "account.updated", None, "acct_p");
    assert!(store.store_stripe_event(&pending, c + 700).await.unwrap());
    assert!(store.purge_applied_stripe_events(c + 50).await.expect("purge") >= 1, "e1, applied at c + 10");
    assert!(store.store_stripe_event(&e1, c + 701).await.unwrap(), "a forgotten event is new again");
    assert!(!store.store_stripe_event(&e3, c + 701).await.unwrap(), "e3, applied at c + 70, is kept");
    store.stripe_event_applied(&e1.id, c + 702).await.unwrap();
    store.purge_applied_stripe_events(c + 1_000).await.expect("purge");
    for applied in [&e1, &e2, &e3] {
        assert!(store.store_stripe_event(applied, c + 1_001).await.unwrap(), "{} forgotten", applied.id);
    }
    assert!(!store.store_stripe_event(&pending, c + 1_001).await.unwrap(), "the pending event stays");
    assert!(!store.store_stripe_event(&stubborn, c + 1_001).await.unwrap(), "the set-aside one stays");
    assert_eq!(store.set_aside_stripe_events(10).await.unwrap().len(), 1);
    drain_inbox(store, c + 2_000).await;
}
