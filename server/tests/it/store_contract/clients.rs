//! Chapter 3: the client book: create, read back, update, archive, search (case-insensitive,
//! LIKE's wildcards taken literally), and another business's book kept apart.

use super::fixtures::{account, assert_not_found, company, person, start_of, MISSING};
use app::domain::Client;
use app::ports::{BusinessId, ClientId, ClientRecord, Store};

fn names(list: &[ClientRecord]) -> Vec<&str> {
    list.iter().map(|c| c.client.name.as_str()).collect()
}

fn ids(list: &[ClientRecord]) -> Vec<ClientId> {
    list.iter().map(|c| c.id).collect()
}

async fn create(store: &dyn Store, business_id: BusinessId, client: &Client, now: i64) -> ClientId {
    store.create_client(business_id, client, now).await.expect("create_client")
}

async fn search(store: &dyn Store, business_id: BusinessId, text: &str, archived: bool) -> Vec<ClientRecord> {
    store.list_clients(business_id, text, archived).await.expect("list_clients")
}

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(3);
    let a = account(store, "clients-a@contract.reglo.test", t).await.business_id;
    let b = account(store, "clients-b@contract.reglo.test", t).await.business_id;

    let dupont = company("Dupont SARL", "compta@dupont.fr");
    let dupont_id = create(store, a, &dupont, t + 1).await;
    let charpente_id = create(store, a, &person("Charpente Roux"), t + 2).await;
    let bistrot_id = create(store, a, &person("bistrot Lemoine"), t + 3).await;
    let atelier_id = create(store, a, &person("Atelier Nord"), t + 4).await;

    // A client reads back as saved.
    let record = store.client(a, dupont_id).await.expect("client");
    assert_eq!(record.id, dupont_id);
    assert!(!record.archived);
    assert_eq!(record.client.validate().expect("the stored client reads back valid"), dupont);
    assert_eq!(record.client.name, "Dupont SARL");

    // The book, by name whatever the case.
    let all = search(store, a, "", false).await;
    assert_eq!(names(&all), ["Atelier Nord", "bistrot Lemoine", "Charpente Roux", "Dupont SARL"]);
    assert_eq!(ids(&all), vec![atelier_id, bistrot_id, charpente_id, dupont_id]);

    // Search: name, e-mail or SIREN, whatever the case.
    for text in ["dupont", "DUPONT", "Dupont SARL", "sarl", "  dupont ", "compta@dupont", "732829320"] {
        assert_eq!(ids(&search(store, a, text, false).await), vec![dupont_id], "search {text:?}");
    }
    assert_eq!(ids(&search(store, a, "lemoine", false).await), vec![bistrot_id]);
    assert_eq!(ids(&search(store, a, "BISTROT", false).await), vec![bistrot_id]);
    assert!(search(store, a, "introuvable", false).await.is_empty());

    // Editing.
    let renamed = company("Dupont & Fils SARL", "factures@dupont.fr");
    store.update_client(a, dupont_id, &renamed, t + 10).await.expect("update_client");
    assert_eq!(store.client(a, dupont_id).await.unwrap().client.validate().unwrap(), renamed);
    assert_eq!(ids(&search(store, a, "dupont", false).await), vec![dupont_id]);
    assert_eq!(ids(&search(store, a, "factures@dupont", false).await), vec![dupont_id]);
    assert!(search(store, a, "compta@dupont", false).await.is_empty(), "the old e-mail is gone");
    assert_not_found(store.update_client(a, MISSING, &renamed, t + 11).await, "updating no client");
    assert_not_found(store.client(a, MISSING).await, "reading no client");

    // Another business neither sees nor changes a's clients.
    assert_not_found(store.client(b, dupont_id).await, "b reading a's client");
    assert_not_found(
        store.update_client(b, dupont_id, &person("Volé"), t + 12).await,
        "b updating a's client",
    );
    assert_not_found(store.set_client_archived(b, dupont_id, true, t + 13).await, "b archiving a's client");
    assert!(search(store, b, "", false).await.is_empty());
    assert!(search(store, b, "dupont", false).await.is_empty());
    assert!(search(store, b, "", true).await.is_empty());
    let untouched = store.client(a, dupont_id).await.unwrap();
    assert_eq!(untouched.client.validate().unwrap(), renamed);
    assert!(!untouched.archived);

    // Archiving takes a client out of the book (kept for its invoices), and back.
    store.set_client_archived(a, bistrot_id, true, t + 20).await.expect("set_client_archived");
    assert_eq!(
        names(&search(store, a, "", false).await),
        ["Atelier Nord", "Charpente Roux", "Dupont & Fils SARL"]
    );
    let archived = search(store, a, "", true).await;
    assert_eq!(ids(&archived), vec![bistrot_id]);
    assert!(archived[0].archived);
    assert!(store.client(a, bistrot_id).await.unwrap().archived);
    assert!(search(store, a, "lemoine", false).await.is_empty());
    assert_eq!(ids(&search(store, a, "lemoine", true).await), vec![bistrot_id]);
    store.set_client_archived(a, bistrot_id, false, t + 21).await.expect("set_client_archived");
    assert!(!store.client(a, bistrot_id).await.unwrap().archived);
    assert!(search(store, a, "", true).await.is_empty());
    assert_eq!(
        ids(&search(store, a, "", false).await),
        vec![atelier_id, bistrot_id, charpente_id, dupont_id]
    );
    assert_not_found(store.set_client_archived(a, MISSING, true, t + 22).await, "archiving no client");

    // Accents and case are ignored alike on every backend, whichever side carries them.
    let f = account(store, "clients-f@contract.reglo.test", t + 25).await.business_id;
    let emilie = create(store, f, &person("Émilie Cœur"), t + 26).await;
    let helene = create(store, f, &person("HÉLÈNE GARÇON"), t + 27).await;
    for text in ["emilie", "EMILIE", "Émilie", "émilie", "coeur", "CŒUR"] {
        assert_eq!(ids(&search(store, f, text, false).await), vec![emilie], "search {text:?}");
    }
    for text in ["helene", "Hélène", "garcon", "GARÇON", "garçon"] {
        assert_eq!(ids(&search(store, f, text, false).await), vec![helene], "search {text:?}");
    }

    // `%` and `_` are searched for as typed, not as LIKE's wildcards.
    let w = account(store, "clients-w@contract.reglo.test", t + 30).await.business_id;
    let percent = create(store, w, &person("Remise 50% Atelier"), t + 31).await;
    let five_hundred = create(store, w, &person("Studio 500"), t + 32).await;
    let underscore = create(store, w, &person("Atelier_Nord"), t + 33).await;
    let dash = create(store, w, &person("Atelier-Nord"), t + 34).await;
    assert_eq!(ids(&search(store, w, "50%", false).await), vec![percent]);
    assert_eq!(ids(&search(store, w, "%", false).await), vec![percent]);
    assert_eq!(ids(&search(store, w, "_", false).await), vec![underscore]);
    assert_eq!(ids(&search(store, w, "r_n", false).await), vec![underscore]);
    assert!(search(store, w, "\\", false).await.is_empty(), "a backslash is a character too");
    let mut fifty = ids(&search(store, w, "50", false).await);
    fifty.sort_unstable();
    let mut expected = vec![percent, five_hundred];
    expected.sort_unstable();
    assert_eq!(fifty, expected);
    let mut nord = ids(&search(store, w, "nord", false).await);
    nord.sort_unstable();
    let mut expected = vec![underscore, dash];
    expected.sort_unstable();
    assert_eq!(nord, expected);
}
