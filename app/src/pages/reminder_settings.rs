//! « Paramètres › Relances »: whether unpaid invoices are reminded automatically, and on which
//! days. The plan is shown as typed, checked by the same domain code as on the server.

use super::settings::SettingsTabs;
use crate::components::form::ErrorBanner;
use crate::components::resource::resource;
use crate::domain::email_template::TemplateKind;
use crate::domain::reminders::{parse_steps, step_label, ReminderPolicy, CLOSES, OPENS};
use crate::functions::reminders::{reminder_settings, ReminderSettingsView, SaveReminderSettings};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn ReminderSettingsPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let data = resource(|| (), |_| reminder_settings());
    view! {
        <Title text="Relances · Paramètres"/>
        <div class="page-header"><h1>"Paramètres"</h1></div>
        <SettingsTabs current="/parametres/relances"/>
        <Suspense fallback=|| view! { <p class="loading">"Chargement des relances…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <ReminderForm initial=view/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// « J+1 : 1 jour après l'échéance ».
fn describe(days: i64) -> String {
    let plural = |n: i64| if n > 1 { "s" } else { "" };
    match days {
        0 => "le jour de l'échéance".to_owned(),
        d if d < 0 => format!("{} jour{} avant l'échéance", -d, plural(-d)),
        d => format!("{d} jour{} après l'échéance", plural(d)),
    }
}

#[component]
fn ReminderForm(initial: ReminderSettingsView) -> impl IntoView {
    let save = ServerAction::<SaveReminderSettings>::new();
    let enabled = RwSignal::new(initial.enabled);
    let steps = RwSignal::new(initial.steps);
    // The plan as typed: the steps in order, or what is wrong with them.
    let plan = Memo::new(move |_| {
        let days = parse_steps(&steps.get())?;
        ReminderPolicy::new(true, &days).map(|p| p.steps).map_err(|e| e.get("steps").unwrap_or_default())
    });
    let server_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let error = move || {
        plan.with(|p| p.as_ref().err().cloned()).or_else(|| server_error.get().and_then(|e| e.field("steps")))
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    Effect::new(move |_| {
        if let Some(Ok(view)) = save.value().get() {
            steps.set(view.steps);
            enabled.set(view.enabled);
        }
    });
    view! {
        <section class="card">
            <h2>"Relances automatiques"</h2>
            <p class="hint">
                {format!(
                    "Chaque relance part par e-mail au client, avec le lien de paiement et la facture en PDF, \
                     entre {OPENS} h et {CLOSES} h (heure de Paris). Elles s'arrêtent dès que la facture est payée, \
                     annulée par un avoir, ou si vous choisissez « Ne pas relancer cette facture ». Après l'échéance, \
                     elles rappellent les pénalités de retard et, pour un client professionnel, l'indemnité forfaitaire de 40 €."
                )}
            </p>
            <ActionForm action=save>
                <div class="field checkbox-field">
                    <label>
                        <input type="checkbox" name="enabled" value="true" prop:checked=move || enabled.get()
                            on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                        " Relancer automatiquement les factures impayées"
                    </label>
                </div>
                <div class="field" class:has-error=move || error().is_some()>
                    <label for="reminder-steps">"Jours des relances, par rapport à l'échéance (4 au plus)"</label>
                    <input id="reminder-steps" name="steps" autocomplete="off" aria-describedby="reminder-steps-message"
                        aria-invalid=move || if error().is_some() { "true" } else { "false" }
                        prop:value=move || steps.get() on:input=move |ev| steps.set(event_target_value(&ev))/>
                    <p class="field-message" id="reminder-steps-message" aria-live="polite">
                        {move || match error() {
                            Some(message) => view! { <span class="field-error">{message}</span> }.into_any(),
                            None => view! { <span class="field-hint">"Par exemple J-3, J+1, J+8, J+15 : J-3 est 3 jours avant l'échéance."</span> }.into_any(),
                        }}
                    </p>
                </div>
                {move || plan.get().ok().map(|days| view! {
                    <ol class="reminder-plan" data-testid="reminder-plan">
                        {days.into_iter().enumerate().map(|(index, d)| view! {
                            <li>
                                <strong>{step_label(d)}</strong>{format!(" — {} : modèle « ", describe(d))}
                                {TemplateKind::reminder(index).label()}"»"
                            </li>
                        }).collect_view()}
                    </ol>
                })}
                <p class="hint">"Les textes de chaque relance se modifient dans " <a href="/parametres/e-mails">"Paramètres › E-mails"</a> "."</p>
                {move || server_error.get().filter(|e| !matches!(e, crate::error::AppError::Invalid(_))).map(|e| {
                    view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }
                })}
                <Show when=saved>
                    <p class="alert alert-success" role="status">
                        {move || if enabled.get() { "Relances enregistrées." } else { "Relances automatiques désactivées." }}
                    </p>
                </Show>
                <div class="form-buttons">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get() || plan.with(Result::is_err)>
                        "Enregistrer"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
