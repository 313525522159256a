//! « Paramètres › Sécurité »: change the password, close every session.

use super::settings::SettingsTabs;
use crate::components::form::ErrorBanner;
use crate::functions::auth::{ChangeLoginEmail, ChangePassword, LogOutEverywhere};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn SecuritySettingsPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let field = move |name: &'static str| move || error.get().and_then(|e| e.field(name));
    let done = move || matches!(change.value().get(), Some(Ok(())));
    let form = NodeRef::<leptos::html::Form>::new();
    // Once changed, the typed passwords are cleared from the form.
    Effect::new(move |_| {
        if done() {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <Title text="Sécurité · Paramètres"/>
        <div class="page-header"><h1>"Paramètres"</h1></div>
        <SettingsTabs current="/parametres/securite"/>
        <section class="card">
            <h2>"Mot de passe"</h2>
            <p class="hint">"Vos autres appareils seront déconnectés ; cette session reste ouverte."</p>
            <ActionForm action=change node_ref=form>
                <div class="field">
                    <label for="current_password">"Mot de passe actuel"</label>
                    <input id="current_password" type="password" name="current_password" autocomplete="current-password" required/>
                    {move || field("current_password")().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="new_password">"Nouveau mot de passe"</label>
                    <input id="new_password" type="password" name="new_password" autocomplete="new-password" required minlength="10"
                        aria-describedby="new_password-rule"/>
                    <p class="field-hint" id="new_password-rule">{crate::domain::Password::RULE}</p>
                    {move || field("new_password")().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="new_password_confirm">"Confirmez le nouveau mot de passe"</label>
                    <input id="new_password_confirm" type="password" name="new_password_confirm" autocomplete="new-password" required/>
                    {move || field("new_password_confirm")().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                {move || error.get().filter(|e| !matches!(e, crate::error::AppError::Invalid(_))).map(|e| {
                    view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }
                })}
                <Show when=done>
                    <p class="alert alert-success" role="status">"Mot de passe modifié. Vos autres appareils ont été déconnectés."</p>
                </Show>
                <div class="form-buttons">
                    <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>"Changer le mot de passe"</button>
                </div>
            </ActionForm>
        </section>
        <LoginEmailCard/>
        <section class="card">
            <h2>"Appareils connectés"</h2>
            <p>"Un ordinateur partagé, un téléphone perdu ? Fermez toutes les sessions ouvertes avec votre compte, celle-ci comprise."</p>
            <ActionForm action=everywhere>
                <button type="submit" class="btn btn-secondary" disabled=move || everywhere.pending().get()>
                    "Se déconnecter de tous les appareils"
                </button>
            </ActionForm>
        </section>
    }
}

/// The address the account logs in with: the password is asked again, the old address is told,
/// the new one confirmed by a link.
#[component]
fn LoginEmailCard() -> impl IntoView {
    let change = ServerAction::<ChangeLoginEmail>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let field = move |name: &'static str| move || error.get().and_then(|e| e.field(name));
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <section class="card">
            <h2>"Adresse de connexion"</h2>
            <p class="hint">"L'ancienne adresse sera prévenue ; la nouvelle devra être confirmée par le lien qui lui sera envoyé."</p>
            <ActionForm action=change>
                <div class="field">
                    <label for="new_email">"Nouvelle adresse e-mail"</label>
                    <input id="new_email" type="email" name="new_email" autocomplete="email" required/>
                    {move || field("new_email")().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                <div class="field">
                    <label for="login_email_password">"Mot de passe"</label>
                    <input id="login_email_password" type="password" name="current_password" autocomplete="current-password" required/>
                    {move || field("current_password")().map(|e| view! { <p class="field-error">{e}</p> })}
                </div>
                {move || error.get().filter(|e| !matches!(e, crate::error::AppError::Invalid(_))).map(|e| {
                    view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }
                })}
                <Show when=done>
                    <p class="alert alert-success" role="status">"Adresse changée : confirmez-la avec le lien qui vient de lui être envoyé."</p>
                </Show>
                <div class="form-buttons">
                    <button type="submit" class="btn btn-secondary" disabled=move || change.pending().get()>"Changer d'adresse"</button>
                </div>
            </ActionForm>
        </section>
    }
}
