//! Chapter 2: the business's profile, logo, defaults, e-mail texts, declaration frequency and
//! Stripe account; another business never reads nor changes them.

use super::fixtures::{account, assert_not_found, profile_input, start_of, MISSING};
use app::domain::email_template::{EmailTemplate, TemplateKind};
use app::domain::{BusinessProfileInput, DeclarationFrequency, OnlineStatus};
use app::ports::{OnlineAccount, Store};

pub(super) async fn chapter(store: &dyn Store) {
    let t = start_of(2);
    let a = account(store, "atelier@contract.reglo.test", t).await.business_id;
    let b = account(store, "boutique@contract.reglo.test", t + 1).await.business_id;

    // A new business: the defaults, nothing else.
    let fresh = store.business(a).await.expect("business");
    assert_eq!(fresh.id, a);
    assert_eq!(fresh.profile, BusinessProfileInput::new_business_defaults());
    assert!(!fresh.profile_complete);
    assert_eq!(fresh.logo_file, None);
    assert_eq!(fresh.default_payment_methods, vec!["transfer".to_string()]);
    assert_eq!(fresh.online, OnlineAccount::default());
    assert_not_found(store.business(MISSING).await, "a business that does not exist");

    // The profile reads back as saved, and saving again replaces it.
    let profile = profile_input("Atelier Lumière").validate().expect("a valid profile");
    store.save_profile(a, &profile, t + 10).await.expect("save_profile");
    let saved = store.business(a).await.unwrap();
    assert!(saved.profile_complete);
    assert_eq!(saved.profile.validate().expect("the stored profile reads back valid"), profile);
    assert_eq!(saved.profile.name, "Atelier Lumière EI");
    let changed = BusinessProfileInput {
        name: "Atelier Lumière Paris".into(),
        city: "Paris 11e".into(),
        payment_terms_days: "45".into(),
        late_penalty_rate: "12,5".into(),
        invoice_prefix: "AL-".into(),
        ..profile_input("")
    }
    .validate()
    .expect("a valid profile");
    store.save_profile(a, &changed, t + 11).await.expect("save_profile");
    let saved = store.business(a).await.unwrap();
    assert_eq!(saved.profile.validate().expect("reads back valid"), changed);
    assert_eq!(
        (saved.profile.payment_terms_days.as_str(), saved.profile.late_penalty_rate.as_str()),
        ("45", "12,5")
    );
    assert_not_found(store.save_profile(MISSING, &profile, t + 12).await, "saving a missing business");

    // The logo: the previous name comes back so the file can go, unless another business uses it.
    assert_eq!(store.set_logo(a, Some("aaaa.png"), t + 20).await.unwrap(), None);
    assert_eq!(store.set_logo(a, Some("bbbb.png"), t + 21).await.unwrap(), Some("aaaa.png".to_string()));
    assert!(!store.logo_in_use("aaaa.png").await.unwrap(), "replaced");
    assert!(store.logo_in_use("bbbb.png").await.unwrap());
    assert_eq!(store.set_logo(b, Some("bbbb.png"), t + 22).await.unwrap(), None, "b's own previous logo");
    assert_eq!(store.set_logo(a, None, t + 23).await.unwrap(), Some("bbbb.png".to_string()));
    assert!(store.logo_in_use("bbbb.png").await.unwrap(), "b still uses it");
    assert_eq!(store.business(a).await.unwrap().logo_file, None);
    assert_eq!(store.business(b).await.unwrap().logo_file.as_deref(), Some("bbbb.png"));
    assert!(!store.logo_in_use("never-uploaded.png").await.unwrap());

    // The methods ticked on new invoices, in their order.
    let methods = vec!["cheque".to_string(), "payment_link".to_string(), "transfer".to_string()];
    store.set_default_payment_methods(a, &methods, t + 30).await.expect("set_default_payment_methods");
    assert_eq!(store.business(a).await.unwrap().default_payment_methods, methods);
    assert_eq!(store.business(b).await.unwrap().default_payment_methods, vec!["transfer".to_string()]);

    // E-mail texts: one per kind, the last saved wins.
    assert!(store.email_templates(a).await.unwrap().is_empty(), "defaults are not stored");
    let first = EmailTemplate { subject: "Facture {numero}".into(), body: "Bonjour {client}".into() };
    let second = EmailTemplate {
        subject: "Votre facture {numero} — {entreprise}".into(),
        body: "Bonjour {client},\n\nVoici la facture {numero}.\n\nMerci !".into(),
    };
    store
        .save_email_template(a, TemplateKind::InvoiceSent, &first, t + 40)
        .await
        .expect("save_email_template");
    store
        .save_email_template(a, TemplateKind::InvoiceSent, &second, t + 41)
        .await
        .expect("save_email_template");
    assert_eq!(store.email_templates(a).await.unwrap(), vec![(TemplateKind::InvoiceSent, second.clone())]);
    let reminder =
        EmailTemplate { subject: "Rappel : {numero}".into(), body: "Bonjour {client}, un rappel.".into() };
    store
        .save_email_template(a, TemplateKind::Reminder, &reminder, t + 42)
        .await
        .expect("save_email_template");
    let mut templates = store.email_templates(a).await.unwrap();
    templates.sort_by_key(|(kind, _)| kind.code());
    assert_eq!(
        templates,
        vec![(TemplateKind::InvoiceSent, second.clone()), (TemplateKind::Reminder, reminder.clone())]
    );
    assert!(store.email_templates(b).await.unwrap().is_empty(), "b has none of a's texts");
    let bs = EmailTemplate { subject: "B".into(), body: "Texte de B".into() };
    store.save_email_template(b, TemplateKind::InvoiceSent, &bs, t + 43).await.expect("save_email_template");
    assert_eq!(store.email_templates(b).await.unwrap(), vec![(TemplateKind::InvoiceSent, bs)]);
    let mut templates = store.email_templates(a).await.unwrap();
    templates.sort_by_key(|(kind, _)| kind.code());
    assert_eq!(templates, vec![(TemplateKind::InvoiceSent, second), (TemplateKind::Reminder, reminder)]);

    // The URSSAF declaration: quarterly until said otherwise.
    assert_eq!(store.declaration_frequency(a).await.unwrap(), DeclarationFrequency::Quarterly);
    store
        .set_declaration_frequency(a, DeclarationFrequency::Monthly)
        .await
        .expect("set_declaration_frequency");
    assert_eq!(store.declaration_frequency(a).await.unwrap(), DeclarationFrequency::Monthly);
    assert_eq!(store.declaration_frequency(b).await.unwrap(), DeclarationFrequency::Quarterly);
    assert_not_found(
        store.set_declaration_frequency(MISSING, DeclarationFrequency::Monthly).await,
        "the frequency of a missing business",
    );

    // The Stripe account: linked, then what Stripe says of it, found back by its id.
    assert_eq!(store.business_by_account("acct_atelier").await.unwrap(), None);
    assert_eq!(
        store.set_stripe_account(a, "acct_atelier", t + 50).await.expect("set_stripe_account"),
        "acct_atelier"
    );
    assert_eq!(
        store.set_stripe_account(a, "acct_second", t + 51).await.unwrap(),
        "acct_atelier",
        "a business keeps the first account linked"
    );
    assert_eq!(store.business(a).await.unwrap().online.account_id.as_deref(), Some("acct_atelier"));
    assert_eq!(store.business_by_account("acct_atelier").await.unwrap(), Some(a));
    let requirements = vec!["external_account".to_string(), "individual.dob.day".to_string()];
    let owner = store
        .update_online_status("acct_atelier", OnlineStatus::Incomplete, &requirements, t + 51)
        .await
        .expect("update_online_status");
    assert_eq!(owner, Some(a));
    assert_eq!(
        store.business(a).await.unwrap().online,
        OnlineAccount {
            account_id: Some("acct_atelier".into()),
            status: OnlineStatus::Incomplete,
            requirements: requirements.clone(),
        }
    );
    assert_eq!(
        store.update_online_status("acct_atelier", OnlineStatus::Active, &[], t + 52).await.unwrap(),
        Some(a)
    );
    assert_eq!(
        store.business(a).await.unwrap().online,
        OnlineAccount {
            account_id: Some("acct_atelier".into()),
            status: OnlineStatus::Active,
            requirements: vec![]
        }
    );
    assert_eq!(
        store
            .update_online_status("acct_personne", OnlineStatus::Active, &requirements, t + 53)
            .await
            .unwrap(),
        None,
        "an account no business has"
    );
    assert_eq!(store.business_by_account("acct_personne").await.unwrap(), None);

    // Through all of it, b kept its own data.
    let b_record = store.business(b).await.unwrap();
    assert_eq!(b_record.profile, BusinessProfileInput::new_business_defaults());
    assert!(!b_record.profile_complete);
    assert_eq!(b_record.online, OnlineAccount::default());
}
