//! Chapter 1: signing up, logging in, sessions, REST API keys.

use super::fixtures::{account, assert_not_found, email, start_of, MISSING};
use app::domain::BusinessProfileInput;
use app::ports::{PasswordHash, Store, StoreError};

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(1);

    // Signing up creates the user and their business; an address is registered once.
    let defaults = BusinessProfileInput::new_business_defaults();
    let marie = store
        .create_account(&email("marie@exemple.fr"), &PasswordHash("$argon2id$marie".into()), &defaults, t)
        .await
        .expect("create_account");
    assert_eq!(marie.email, "marie@exemple.fr");
    let again = store
        .create_account(
            &email("Marie@Exemple.FR"),
            &PasswordHash("$argon2id$intrus".into()),
            &defaults,
            t + 1,
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "the same address twice: {again:?}");
    let paul = account(store, "paul@exemple.fr", t + 2).await;
    assert_ne!(paul.business_id, marie.business_id, "each account has its own business");
    assert_ne!(paul.user_id, marie.user_id);

    // Logging in reads the credentials; the refused sign-up changed nothing.
    let credentials = store.find_credentials("marie@exemple.fr").await.unwrap().expect("marie's credentials");
    assert_eq!((credentials.user_id, credentials.business_id), (marie.user_id, marie.business_id));
    assert_eq!(credentials.password_hash.0, "$argon2id$marie");
    let pauls = store.find_credentials("paul@exemple.fr").await.unwrap().expect("paul's credentials");
    assert_eq!((pauls.user_id, pauls.business_id), (paul.user_id, paul.business_id));
    assert!(store.find_credentials("personne@exemple.fr").await.unwrap().is_none());

    // Sessions: found while live, not once expired, gone once closed.
    store.create_session("session-marie", &marie, t + 10, t + 3_610).await.expect("create_session");
    let found = store.find_session("session-marie", t + 20, 0).await.unwrap().expect("a live session");
    assert_eq!(
        (found.user_id, found.business_id, found.email.as_str()),
        (marie.user_id, marie.business_id, "marie@exemple.fr")
    );
    assert!(store.find_session("session-marie", t + 3_609, 0).await.unwrap().is_some());
    assert!(store.find_session("session-marie", t + 3_611, 0).await.unwrap().is_none(), "expired");
    assert!(store.find_session("no-such-session", t + 20, 0).await.unwrap().is_none());
    store.create_session("session-paul", &paul, t + 30, t + 130).await.expect("create_session");
    let found = store.find_session("session-paul", t + 40, 0).await.unwrap().expect("paul's session");
    assert_eq!((found.user_id, found.email.as_str()), (paul.user_id, "paul@exemple.fr"));
    store.delete_session("session-marie").await.expect("delete_session");
    assert!(store.find_session("session-marie", t + 20, 0).await.unwrap().is_none(), "logged out");
    store.delete_session("session-marie").await.expect("closing a closed session is not an error");
    // Opening a session sweeps the expired ones: paul's (expired at t + 130) is gone for good.
    store.create_session("session-marie-2", &marie, t + 200, t + 3_800).await.expect("create_session");
    assert!(store.find_session("session-paul", t + 40, 0).await.unwrap().is_none(), "swept");
    assert!(store.find_session("session-marie-2", t + 201, 0).await.unwrap().is_some());

    // A session unused since `idle_since` is over; a use moves its mark (at most once a minute).
    assert!(store.find_session("session-marie-2", t + 300, t + 200).await.unwrap().is_none(), "idle");
    assert!(store.find_session("session-marie-2", t + 300, t + 199).await.unwrap().is_some());
    assert!(
        store.find_session("session-marie-2", t + 310, t + 299).await.unwrap().is_some(),
        "seen at t + 300"
    );
    // Closing every session of a user but one; a password change closes the others too.
    store.create_session("session-marie-3", &marie, t + 400, t + 3_800).await.expect("create_session");
    store.create_session("session-marie-4", &marie, t + 401, t + 3_800).await.expect("create_session");
    store.create_session("session-paul-2", &paul, t + 402, t + 3_800).await.expect("create_session");
    store.delete_sessions(marie.user_id, Some("session-marie-4")).await.expect("delete_sessions");
    assert!(store.find_session("session-marie-2", t + 410, 0).await.unwrap().is_none());
    assert!(store.find_session("session-marie-3", t + 410, 0).await.unwrap().is_none());
    assert!(store.find_session("session-marie-4", t + 410, 0).await.unwrap().is_some(), "the one kept");
    assert!(store.find_session("session-paul-2", t + 410, 0).await.unwrap().is_some(), "another user's");
    store.create_session("session-marie-5", &marie, t + 420, t + 3_800).await.expect("create_session");
    store
        .change_password(marie.user_id, &PasswordHash("$argon2id$nouveau".into()), "session-marie-5")
        .await
        .unwrap();
    assert_eq!(
        store.find_credentials("marie@exemple.fr").await.unwrap().unwrap().password_hash.0,
        "$argon2id$nouveau"
    );
    assert!(store.find_session("session-marie-4", t + 430, 0).await.unwrap().is_none());
    assert!(store.find_session("session-marie-5", t + 430, 0).await.unwrap().is_some());
    store.delete_sessions(paul.user_id, None).await.expect("delete_sessions");
    assert!(store.find_session("session-paul-2", t + 430, 0).await.unwrap().is_none());

    // API keys: newest first, only the business's own, found by hash, revoked once.
    let first = store
        .create_api_key(marie.business_id, "Comptabilité", "rg_live_abc", "key-hash-1", t + 300)
        .await
        .expect("create_api_key");
    let second = store
        .create_api_key(marie.business_id, "Intégration", "rg_live_def", "key-hash-2", t + 310)
        .await
        .expect("create_api_key");
    let pauls_key = store
        .create_api_key(paul.business_id, "Paul", "rg_live_ghi", "key-hash-3", t + 320)
        .await
        .expect("create_api_key");
    let keys = store.api_keys(marie.business_id).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), vec![second, first], "newest first");
    assert_eq!(
        (keys[1].name.as_str(), keys[1].prefix.as_str(), keys[1].created_at, keys[1].last_used_at),
        ("Comptabilité", "rg_live_abc", t + 300, None)
    );
    assert_eq!((keys[0].name.as_str(), keys[0].prefix.as_str()), ("Intégration", "rg_live_def"));
    let keys = store.api_keys(paul.business_id).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), vec![pauls_key]);

    assert_eq!(store.find_api_key("key-hash-1", t + 400).await.unwrap(), Some(marie.business_id));
    assert_eq!(store.find_api_key("key-hash-3", t + 400).await.unwrap(), Some(paul.business_id));
    assert_eq!(store.find_api_key("key-hash-unknown", t + 400).await.unwrap(), None);
    let last_used = |keys: Vec<app::ports::ApiKeyRecord>, id: i64| {
        keys.into_iter().find(|k| k.id == id).expect("the key is listed").last_used_at
    };
    assert_eq!(
        last_used(store.api_keys(marie.business_id).await.unwrap(), first),
        Some(t + 400),
        "use noted"
    );
    assert_eq!(last_used(store.api_keys(marie.business_id).await.unwrap(), second), None, "never used");
    // Noted at most once a minute: API reads do not all become writes.
    assert_eq!(store.find_api_key("key-hash-1", t + 430).await.unwrap(), Some(marie.business_id));
    assert_eq!(
        last_used(store.api_keys(marie.business_id).await.unwrap(), first),
        Some(t + 400),
        "30 s later"
    );
    assert_eq!(store.find_api_key("key-hash-1", t + 1_400).await.unwrap(), Some(marie.business_id));
    assert_eq!(last_used(store.api_keys(marie.business_id).await.unwrap(), first), Some(t + 1_400));

    assert_not_found(
        store.revoke_api_key(paul.business_id, first, t + 1_500).await,
        "paul revoking marie's key",
    );
    assert_eq!(
        store.find_api_key("key-hash-1", t + 1_501).await.unwrap(),
        Some(marie.business_id),
        "still live"
    );
    store.revoke_api_key(marie.business_id, first, t + 1_502).await.expect("revoke_api_key");
    assert_eq!(store.find_api_key("key-hash-1", t + 1_503).await.unwrap(), None, "revoked");
    let keys = store.api_keys(marie.business_id).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), vec![second], "revoked keys are not listed");
    assert_not_found(store.revoke_api_key(marie.business_id, first, t + 1_504).await, "revoking twice");
    assert_not_found(store.revoke_api_key(marie.business_id, MISSING, t + 1_505).await, "revoking no key");
    assert_eq!(store.find_api_key("key-hash-2", t + 1_506).await.unwrap(), Some(marie.business_id));
}
