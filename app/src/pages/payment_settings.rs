//! « Paramètres › Paiements » (« Types de paiements acceptés »): the methods proposed on new
//! invoices, and online card payment — its state with Stripe, « Configurer », the fee.

use super::settings::SettingsTabs;
use crate::components::form::ErrorBanner;
use crate::components::resource::resource;
use crate::domain::online_payment::fee_rate_label;
use crate::domain::{OnlineStatus, PaymentMethod, ProviderMode};
use crate::error::AppError;
use crate::functions::online_payment::{
    payment_settings, refresh_online_payment, save_default_payment_methods, PaymentSettingsView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/parametres/paiements`, also where Stripe's onboarding comes back to (`?retour`, or
/// `?erreur=…` when it could not start).
#[component]
pub fn PaymentSettingsRoute() -> impl IntoView {
    let (back, failure) = use_query_map().with_untracked(|q| (q.get("retour").is_some(), q.get("erreur")));
    view! { <PaymentSettingsPage back failure/> }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
fn PaymentSettingsPage(back: bool, failure: Option<String>) -> impl IntoView {
    crate::components::island::count_hydrated();
    let data = resource(|| (), |_| payment_settings());
    view! {
        <Title text="Paiements · Paramètres"/>
        <div class="page-header"><h1>"Paramètres"</h1></div>
        <SettingsTabs current="/parametres/paiements"/>
        {failure.map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
        <Suspense fallback=|| view! { <p class="loading">"Chargement des paiements…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <PaymentSettings initial=view back/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PaymentSettings(initial: PaymentSettingsView, back: bool) -> impl IntoView {
    let settings = RwSignal::new(initial);
    let methods = RwSignal::new(settings.with_untracked(|s| s.default_methods.clone()));
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // No provider on this server: nothing to configure, the link is never offered.
    let off = move || settings.with(|s| s.mode == ProviderMode::Off);
    let active = move || !off() && settings.with(|s| s.status == OnlineStatus::Active);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_default_payment_methods(methods.get_untracked()).await {
                Ok(view) => {
                    settings.set(view);
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => {
                    error.set(Some(e));
                    saved.set(false);
                }
            }
            busy.set(false);
        });
    };
    let refresh = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match refresh_online_payment().await {
                Ok(view) => settings.set(view),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let rate = move || settings.with(|s| fee_rate_label(s.fee_bp));
    view! {
        <section class="card">
            <h2>"Types de paiements acceptés"</h2>
            <p class="hint">"Les moyens cochés sont proposés sur chaque nouvelle facture ; vous pouvez les changer facture par facture."</p>
            {move || (active() && settings.with(|s| s.default_methods.iter().any(|c| c == PaymentMethod::PaymentLink.code())))
                .then(|| view! {
                    <p class="alert alert-info" data-testid="link-default-notice">
                        "Le paiement en ligne est actif : « Lien de paiement » est coché sur chaque nouvelle facture. \
                         Pour ne plus le proposer d'office, décochez-le ci-dessous et enregistrez."
                    </p>
                })}
            <form on:submit=save>
                <div class="methods">
                    {PaymentMethod::ALL.into_iter().map(|m| {
                        let code = m.code();
                        let link = m == PaymentMethod::PaymentLink;
                        view! {
                            <label class="checkbox" class:disabled=move || link && !active()>
                                <input type="checkbox" name="methods" value=code
                                    disabled=move || link && !active()
                                    prop:checked=move || methods.with(|l| l.iter().any(|c| c == code))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        saved.set(false);
                                        methods.update(|l| {
                                            l.retain(|c| c != code);
                                            if on { l.push(code.to_owned()); }
                                        });
                                    }/>
                                {m.label()}
                                {link.then(|| view! { <span class="method-note">{move || format!(" — {} par paiement en ligne", rate())}</span> })}
                            </label>
                        }
                    }).collect_view()}
                </div>
                <ErrorBanner error=error/>
                <Show when=move || saved.get()>
                    <p class="alert alert-success" role="status">"Moyens de paiement enregistrés."</p>
                </Show>
                <div class="form-buttons">
                    <button type="submit" class="btn btn-primary" disabled=move || busy.get()>"Enregistrer"</button>
                </div>
            </form>
        </section>
        <section class="card online-payment" data-testid="online-payment">
            <h2>"Paiement en ligne par carte"</h2>
            <p>
                "Vos clients paient la facture par carte depuis le lien de paiement (e-mail, PDF, QR code). "
                "Les paiements passent par Stripe et arrivent sur votre compte bancaire. "
                <strong>{move || format!("{} par paiement en ligne", rate())}</strong>
                ", tout compris. "
                <a href="/aide/tarifs-paiement-en-ligne" class="link-blue">"Tarifs du paiement en ligne"</a>
            </p>
            {move || settings.with(|s| s.mode == ProviderMode::Test).then(|| view! {
                <p class="alert alert-info">"Mode test : Stripe est simulé par Reglo, aucun paiement réel n'a lieu."</p>
            })}
            {move || off().then(|| view! {
                <p class="alert alert-info" data-testid="online-off">{format!("{}. ", ProviderMode::OFF_MESSAGE)}
                    "Les autres moyens de paiement restent proposés sur vos factures."</p>
            })}
            {back.then(|| view! { <p class="alert alert-info" role="status">"De retour de Stripe : voici l'état de votre compte."</p> })}
            <Show when=move || !off()>
                <p>"État : "
                    <span class="status" data-testid="online-status"
                        class:status-payée=active>{move || settings.with(|s| s.status.label())}</span>
                </p>
            </Show>
            {move || settings.with(|s| (!s.requirements.is_empty()).then(|| view! {
                <div>
                    <p>"Stripe a encore besoin de :"</p>
                    <ul>{s.requirements.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                </div>
            }))}
            <div class="form-buttons">
                {move || settings.with(|s| s.dashboard_url.clone()).map(|url| view! {
                    <a class="btn btn-ghost" href=url target="_blank" rel="noopener">"Tableau de bord Stripe"</a>
                    <button type="button" class="btn btn-secondary" on:click=refresh disabled=move || busy.get()>"Actualiser l'état"</button>
                })}
                {move || (!active() && !off()).then(|| view! {
                    // A plain form: Stripe's onboarding is another site, reached by redirect.
                    <form method="post" action="/parametres/paiements/stripe/configurer">
                        <button type="submit" class="btn btn-primary">
                            {move || if settings.with(|s| s.status == OnlineStatus::NotConfigured) { "Configurer" } else { "Terminer la configuration" }}
                        </button>
                    </form>
                })}
            </div>
        </section>
    }
}

/// « Tarifs du paiement en ligne »: gross, fee and net, with an example computed by the same
/// code as real payments.
#[component]
pub fn OnlinePricingPage() -> impl IntoView {
    let data = resource(|| (), |_| payment_settings());
    view! {
        <Title text="Tarifs du paiement en ligne"/>
        <div class="page-header"><h1>"Tarifs du paiement en ligne"</h1></div>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let fee_bp = data.await.map(|s| s.fee_bp).unwrap_or(crate::domain::online_payment::DEFAULT_FEE_BP);
                let rate = fee_rate_label(fee_bp);
                let gross = crate::domain::Money::from_cents(100_000);
                let fee = crate::domain::platform_fee(gross, fee_bp);
                view! {
                    <section class="card pricing">
                        <p>{format!("Chaque paiement reçu par carte via le lien de paiement coûte {rate} de son montant, tout compris : \
                            les frais de Stripe sont inclus, sans abonnement ni frais fixes. Les autres moyens de paiement \
                            (virement, chèque, espèces, TPE) ne coûtent rien.")}</p>
                        <h2>"Exemple"</h2>
                        <dl class="totals" data-testid="pricing-example">
                            <dt>"Votre client paie (brut)"</dt><dd>{gross.to_string()}</dd>
                            <dt>{format!("Frais du paiement en ligne ({rate})")}</dt><dd>{format!("− {fee}")}</dd>
                            <dt class="grand">"Vous recevez (net)"</dt><dd class="grand">{(gross - fee).to_string()}</dd>
                        </dl>
                        <p class="hint">"Les frais sont arrondis au centime. Votre chiffre d'affaires à déclarer reste le montant brut payé par le client ; \
                            les frais apparaissent à part dans le tableau de bord."</p>
                        <p><a href="/parametres/paiements" class="link-blue">"Configurer le paiement en ligne"</a></p>
                    </section>
                }
            })}
        </Suspense>
    }
}
