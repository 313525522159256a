//! « Paramètres › Entreprise »: legal identity, invoicing defaults, logo and brand colour.
//! Fields are checked by the shared domain code as the entrepreneur types; the server checks
//! them again with the same code before saving.

use crate::components::form::{ErrorBanner, Field, FormState};
use crate::components::resource::resource;
use crate::components::shell::{brand_style, refresh_top_bar};
use crate::domain::{Activity, LegalName, LogoError, VatRegime};
use crate::error::AppError;
use crate::functions::business::{
    load_business_profile, BusinessProfileView, RemoveLogo, SaveBusinessProfile,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/parametres/entreprise`; the logo form posted without JavaScript comes back here with
/// `?logo=` and its outcome.
#[component]
pub fn BusinessSettingsRoute() -> impl IntoView {
    let logo = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("logo"));
    view! { <BusinessSettingsPage logo/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
fn BusinessSettingsPage(logo: Option<String>) -> impl IntoView {
    crate::components::island::count_hydrated();
    let data = resource(|| (), |_| load_business_profile());
    view! {
        <Title text="Entreprise · Paramètres"/>
        <div class="page-header">
            <h1>"Paramètres"</h1>
        </div>
        <SettingsTabs current="/parametres/entreprise"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement du profil…"</p> }>
            {move || {
                let logo = logo.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <ProfileForm initial=view logo_outcome=logo/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    }
                })
            }}
        </Suspense>
        <DeclarationCard/>
    }
}

/// How often revenue is declared to the URSSAF: saved as soon as it is chosen.
#[component]
fn DeclarationCard() -> impl IntoView {
    use crate::domain::DeclarationFrequency;
    use crate::functions::dashboard::{get_declaration_frequency, SetDeclarationFrequency};
    let current = resource(|| (), |_| get_declaration_frequency());
    let save = ServerAction::<SetDeclarationFrequency>::new();
    view! {
        <section class="card" id="declaration">
            <h2>"Déclaration de chiffre d'affaires"</h2>
            <p class="hint">
                "Choisie auprès de l'URSSAF. Le tableau de bord prépare chaque déclaration : chiffre d'affaires \
                 encaissé par catégorie, arrondi à l'euro, et sa date limite."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let chosen = current.await.unwrap_or(DeclarationFrequency::Quarterly);
                    view! {
                        <label for="declaration-frequency">"Périodicité"</label>
                        <select
                            id="declaration-frequency"
                            on:change=move |ev| { save.dispatch(SetDeclarationFrequency { frequency: event_target_value(&ev) }); }
                        >
                            {DeclarationFrequency::ALL.into_iter().map(|f| view! {
                                <option value=f.code() selected={f == chosen}>{f.label()}</option>
                            }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <p class="alert alert-success" role="status">"Périodicité enregistrée."</p> }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any()),
                None => None,
            }}
        </section>
    }
}

/// The settings' sections; `current` is the address of the one shown.
#[component]
pub fn SettingsTabs(current: &'static str) -> impl IntoView {
    const TABS: [(&str, &str); 6] = [
        ("/parametres/entreprise", "Entreprise"),
        ("/parametres/paiements", "Paiements"),
        ("/parametres/e-mails", "E-mails"),
        ("/parametres/relances", "Relances"),
        ("/parametres/api", "API"),
        ("/parametres/securite", "Sécurité"),
    ];
    view! {
        <nav class="tabs" aria-label="Paramètres">
            {TABS.into_iter().map(|(href, label)| view! {
                <a href=href aria-current=(href == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}

#[component]
fn ProfileForm(initial: BusinessProfileView, logo_outcome: Option<String>) -> impl IntoView {
    // The IBAN as saved: replacing it asks for the password (where clients' money goes).
    let saved_iban = RwSignal::new(initial.profile.iban.clone());
    let st = FormState::new(initial.profile);
    let save = ServerAction::<SaveBusinessProfile>::new();
    let server_error = RwSignal::new(None::<AppError>);
    let password = RwSignal::new(String::new());
    let iban_replaced = move || {
        saved_iban
            .with(|before| st.input.with(|i| crate::domain::business_profile::replaces_iban(before, &i.iban)))
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            saved_iban.set(view.profile.iban.clone());
            password.set(String::new());
            st.input.set(view.profile);
            st.saved.set(true);
            server_error.set(None);
            refresh_top_bar();
        }
        Some(Err(e)) => {
            st.check_all();
            server_error.set(Some(e));
        }
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if st.check_all() {
            server_error.set(None);
            let current_password = iban_replaced().then(|| password.get_untracked());
            save.dispatch(SaveBusinessProfile { profile: st.input.get_untracked(), current_password });
        } else {
            server_error.set(Some(AppError::Invalid(st.errors.get_untracked())));
        }
    };

    let legal_name_preview =
        move || st.input.with(|i| LegalName::parse(&i.name).ok()).map(|n| n.as_str().to_owned());
    let vat_is = move |code: &'static str| st.is("vat_status", code);
    let activity_is = move |code: &'static str| st.is("activity", code);

    view! {
        {(!initial.profile_complete).then(|| view! {
            <div class="alert alert-info">
                "Bienvenue ! Renseignez votre entreprise : ces informations figureront sur vos factures, comme la loi l'exige."
            </div>
        })}
        <form class="settings-form" on:submit=on_submit novalidate>
            {view! { <section class="card">
                <h2>"Identité"</h2>
                <Field name="name" label="Nom de l'entreprise" autocomplete="organization"
                    value=st.value("name") on_input=st.setter("name") error=st.error("name")
                    hint="Vos prénom et nom, ou votre nom commercial. La mention « EI » est ajoutée si elle manque."/>
                {move || legal_name_preview().map(|n| view! { <p class="preview-line">"Sur vos factures : " <strong class="legal-name-preview">{n}</strong></p> })}
                <Field name="siret" label="Numéro SIRET" inputmode="numeric" placeholder="732 829 320 00074"
                    value=st.value("siret") on_input=st.setter("siret") error=st.error("siret")
                    hint="14 chiffres, indiqués sur votre avis de situation INSEE."/>
                <div class="field">
                    <label for="champ-activity">"Activité"</label>
                    <select id="champ-activity" name="activity" on:change=move |ev| st.set("activity", event_target_value(&ev))>
                        {Activity::ALL.into_iter().map(|a| view! {
                            <option value=a.code() selected=activity_is(a.code())>{a.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Adresse et contact"</h2>
                <Field name="address_line1" label="Adresse" autocomplete="address-line1"
                    value=st.value("address_line1") on_input=st.setter("address_line1") error=st.error("address_line1")/>
                <Field name="address_line2" label="Complément d'adresse (facultatif)" autocomplete="address-line2"
                    value=st.value("address_line2") on_input=st.setter("address_line2") error=st.error("address_line2")/>
                <div class="field-row">
                    <Field name="postal_code" label="Code postal" autocomplete="postal-code" inputmode="numeric"
                        value=st.value("postal_code") on_input=st.setter("postal_code") error=st.error("postal_code")/>
                    <Field name="city" label="Ville" autocomplete="address-level2"
                        value=st.value("city") on_input=st.setter("city") error=st.error("city")/>
                </div>
                <div class="field-row">
                    <Field name="email" label="E-mail de contact" input_type="email" autocomplete="email"
                        value=st.value("email") on_input=st.setter("email") error=st.error("email")
                        hint="Affiché sur vos factures."/>
                    <Field name="phone" label="Téléphone (facultatif)" input_type="tel" autocomplete="tel"
                        value=st.value("phone") on_input=st.setter("phone") error=st.error("phone")/>
                </div>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"TVA"</h2>
                <fieldset class="choice-group">
                    <legend class="sr-only">"Régime de TVA"</legend>
                    <label class="choice">
                        <input type="radio" name="vat_status" value="franchise" checked=vat_is("franchise") prop:checked=vat_is("franchise")
                            on:change=move |_| st.set("vat_status", "franchise".into())/>
                        <span>
                            <strong>"Franchise en base de TVA"</strong>
                            <small>"Vos factures porteront la mention « " {VatRegime::FRANCHISE_MENTION} " »."</small>
                        </span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="vat_status" value="vat" checked=vat_is("vat") prop:checked=vat_is("vat")
                            on:change=move |_| st.set("vat_status", "vat".into())/>
                        <span>
                            <strong>"Assujetti à la TVA"</strong>
                            <small>"Vous facturez la TVA et la reversez."</small>
                        </span>
                    </label>
                </fieldset>
                <Show when=vat_is("vat")>
                    <Field name="vat_number" label="Numéro de TVA intracommunautaire" placeholder="FR44 732829320"
                        value=st.value("vat_number") on_input=st.setter("vat_number") error=st.error("vat_number")/>
                    <label class="checkbox">
                        <input type="checkbox" name="vat_on_debits" prop:checked=st.is("vat_on_debits", "true")
                            on:change=move |ev| st.set("vat_on_debits", if event_target_checked(&ev) { "true".into() } else { String::new() })/>
                        "J'ai opté pour le paiement de la TVA d'après les débits"
                    </label>
                    <p class="field-hint">"Vos factures porteront la mention « " {VatRegime::DEBITS_MENTION} " », comme l'exige la réforme de 2026."</p>
                </Show>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Paiement"</h2>
                <div class="field-row">
                    <Field name="iban" label="IBAN (facultatif)" placeholder="FR76 3000 6000 0112 3456 7890 189"
                        value=st.value("iban") on_input=st.setter("iban") error=st.error("iban")
                        hint="Nécessaire pour accepter le virement : imprimé sur vos factures et dans leur version électronique."/>
                    <Field name="bic" label="BIC (facultatif)" placeholder="BNPAFRPP"
                        value=st.value("bic") on_input=st.setter("bic") error=st.error("bic")/>
                </div>
                <Show when=iban_replaced>
                    <div class="field">
                        <label for="champ-current_password">"Votre mot de passe, pour changer d'IBAN"</label>
                        <input id="champ-current_password" type="password" autocomplete="current-password"
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        <p class="field-message">
                            {move || match server_error.with(|e| e.as_ref().and_then(|e| e.field("current_password"))) {
                                Some(e) => view! { <span class="field-error">{e}</span> }.into_any(),
                                None => view! { <span class="field-hint">"Votre adresse de connexion sera prévenue du changement."</span> }.into_any(),
                            }}
                        </p>
                    </div>
                </Show>
                <div class="field-row">
                    <Field name="payment_terms_days" label="Délai de paiement (jours)" inputmode="numeric"
                        value=st.value("payment_terms_days") on_input=st.setter("payment_terms_days") error=st.error("payment_terms_days")
                        hint="60 jours au maximum ; 0 = à réception."/>
                    <Field name="late_penalty_rate" label="Taux des pénalités de retard (%)" inputmode="decimal"
                        value=st.value("late_penalty_rate") on_input=st.setter("late_penalty_rate") error=st.error("late_penalty_rate")
                        hint="Au moins trois fois le taux d'intérêt légal."/>
                </div>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Numérotation et couleur"</h2>
                <div class="field-row">
                    <Field name="invoice_prefix" label="Préfixe des numéros de facture"
                        value=st.value("invoice_prefix") on_input=st.setter("invoice_prefix") error=st.error("invoice_prefix")
                        hint="Vos factures seront numérotées PRÉFIXE + année + numéro (ex. F-2026-0001)."/>
                    <div class="field color-field">
                        <Field name="brand_color" label="Couleur de votre marque"
                            value=st.value("brand_color") on_input=st.setter("brand_color") error=st.error("brand_color")
                            hint="Utilisée sur vos factures, e-mails et page de paiement."/>
                        <input type="color" class="color-swatch" aria-label="Choisir la couleur"
                            value=move || st.input.with(|i| i.brand_color.clone())
                            prop:value=move || st.input.with(|i| i.brand_color.clone())
                            on:input=move |ev| st.set("brand_color", event_target_value(&ev))/>
                    </div>
                </div>
                <div class="brand-preview" style=move || st.input.with(|i| brand_style(&i.brand_color))>
                    <div class="brand-preview-bar">{move || legal_name_preview().unwrap_or_else(|| "Votre entreprise EI".into())}</div>
                    <div class="brand-preview-body">
                        <span>"Facture F-2026-0001 · 480,00 €"</span>
                        <span class="brand-preview-button">"Payer la facture"</span>
                    </div>
                </div>
            </section> }.into_any()}

            <div class="form-actions">
                <ErrorBanner error=server_error/>
                {move || st.saved.get().then(|| view! { <p class="alert alert-success" role="status">"Profil enregistré."</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Enregistrement…" } else { "Enregistrer" }}
                </button>
            </div>
        </form>
        <LogoCard initial=initial.logo_url outcome=logo_outcome/>
    }
}

/// The logo: a multipart form and a button to remove it. Without JavaScript the form posts and
/// the page comes back with the result in its address; once the page is live, the file is
/// sent in the background, so what is typed in the profile above and not yet saved stays.
#[component]
fn LogoCard(initial: Option<String>, outcome: Option<String>) -> impl IntoView {
    let logo = RwSignal::new(initial);
    // « ok » or a `LogoError` code: from the address, or from the background upload.
    let outcome = RwSignal::new(outcome);
    let uploading = RwSignal::new(false);
    let remove = ServerAction::<RemoveLogo>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            logo.set(None);
            outcome.set(None);
            refresh_top_bar();
        }
    });
    let upload = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            ev.prevent_default();
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
                return;
            };
            uploading.set(true);
            leptos::task::spawn_local(async move {
                let result = upload_logo(&form).await;
                if result.as_deref() == Some("ok") {
                    if let Ok(profile) = load_business_profile().await {
                        logo.set(profile.logo_url);
                    }
                    form.reset();
                    refresh_top_bar();
                }
                outcome.set(Some(result.unwrap_or_else(|| "network".into())));
                uploading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let upload_result = move || {
        outcome.with(|code| match code.as_deref() {
            Some("ok") => {
                Some(view! { <p class="alert alert-success" role="status">"Logo enregistré."</p> }.into_any())
            }
            Some(code) => {
                let message = LogoError::from_code(code).map_or(
                    "Le logo n'a pas pu être envoyé : vérifiez votre connexion, puis réessayez.",
                    |e| e.message(),
                );
                Some(view! { <p class="alert alert-error" role="alert">{message}</p> }.into_any())
            }
            None => None,
        })
    };
    view! {
        <section class="card" id="logo">
            <h2>"Logo"</h2>
            {upload_result}
            <div class="logo-row">
                <div class="logo-frame">
                    {move || match logo.get() {
                        Some(src) => view! { <img class="logo-current" src=src alt="Logo actuel"/> }.into_any(),
                        None => view! { <span class="logo-empty">"Aucun logo"</span> }.into_any(),
                    }}
                </div>
                <form method="post" action="/parametres/logo" enctype="multipart/form-data" class="logo-form" on:submit=upload>
                    <label for="logo-file">"Image PNG ou JPEG, 1 Mo au maximum"</label>
                    <input id="logo-file" type="file" name="logo" accept="image/png,image/jpeg" required/>
                    <div class="logo-actions">
                        <button type="submit" class="btn btn-secondary" disabled=move || uploading.get()>
                            {move || if uploading.get() { "Envoi…" } else { "Envoyer le logo" }}
                        </button>
                        <Show when=move || logo.with(Option::is_some)>
                            <button type="button" class="btn btn-ghost" on:click=move |_| { remove.dispatch(RemoveLogo {}); }>
                                "Retirer le logo"
                            </button>
                        </Show>
                    </div>
                </form>
            </div>
        </section>
    }
}

/// Posts the logo form as the browser would, in the background: the result code the server
/// put in the address it sends back to (`?logo=ok`, or what was wrong with the file).
#[cfg(feature = "hydrate")]
async fn upload_logo(form: &web_sys::HtmlFormElement) -> Option<String> {
    use wasm_bindgen::JsCast;
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&data);
    let sent = window().fetch_with_str_and_init("/parametres/logo", &init);
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(sent).await.ok()?.dyn_into().ok()?;
    web_sys::Url::new(&response.url()).ok()?.search_params().get("logo")
}
